import { describe, expect, it } from 'vitest';
import { SchemaValidators } from './schema-validate';
import { diffTools } from './tool-diff';

// Pure units of the tools feature; the integration tests against a real
// server are in test/tools/everything-server.test.ts.

describe('schema validation', () => {
  it('reports field errors for required, type, enum and nested paths; tolerates draft-07 $schema', () => {
    const v = new SchemaValidators();
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'object', properties: { c: { enum: ['x', 'y'] } }, required: ['c'] }, n: { type: ['string', 'null'] } },
      required: ['a', 'b'],
    };
    expect(v.check(schema, { a: 1, b: { c: 'x' }, n: null })).toEqual({ valid: true, fieldErrors: {} });
    const bad = v.check(schema, { a: 'one', b: { c: 'z' } });
    expect(bad.valid).toBe(false);
    expect(bad.fieldErrors.a).toMatch(/number/);
    expect(bad.fieldErrors['b.c']).toMatch(/one of/);
    expect(v.check(schema, { b: {} }).fieldErrors).toMatchObject({ a: 'is required', 'b.c': 'is required' });
    expect(v.check({ type: 'bogus-type' }, 1).schemaError).toBeTruthy();
  });

  it('diffs tools by name and field', () => {
    const a = { name: 'a', description: 'A', inputSchema: { type: 'object' } };
    const changes = diffTools(
      [a, { name: 'gone', inputSchema: {} }],
      [
        { ...a, description: 'A2' },
        { name: 'new', inputSchema: {} },
      ],
    );
    expect(changes.map((c) => `${c.kind}:${c.name}:${c.fields.join(',')}`)).toEqual(['changed:a:description', 'removed:gone:', 'added:new:']);
  });
});
