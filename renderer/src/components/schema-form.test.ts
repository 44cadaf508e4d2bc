import { describe, expect, it } from 'vitest';
import { analyze, initialValue, resolveRef, type Schema } from './SchemaForm';
import { safeMediaUrl } from './download';

describe('schema form helpers', () => {
  it('recognises nullable unions, type arrays, const unions and local refs', () => {
    const root: Schema = {
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'number', default: 1 } }, required: ['x'] } },
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        c: { oneOf: [{ const: 'x', title: 'Ex' }, { const: 'y' }] },
        d: { $ref: '#/$defs/Point' },
        e: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        f: { type: 'array', prefixItems: [{ type: 'string' }] },
      },
    };
    const p = root.properties as Record<string, unknown>;
    expect(analyze(p.a, root)).toMatchObject({ kind: 'string', nullable: true });
    expect(analyze(p.b, root)).toMatchObject({ kind: 'integer', nullable: true });
    expect(analyze(p.c, root)).toMatchObject({ kind: 'enum', schema: { enum: ['x', 'y'], 'x-titles': ['Ex', undefined] } });
    expect(analyze(p.d, root).kind).toBe('object');
    expect(resolveRef(p.d, root).properties).toHaveProperty('x');
    expect(analyze(p.e, root).kind).toBe('json');
    expect(analyze(p.f, root).kind).toBe('json');
  });

  it('builds initial values from defaults and required nested objects', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        duration: { type: 'number', default: 10 },
        opts: { type: 'object', properties: { deep: { type: 'boolean', default: true } } },
        req: { type: 'object', properties: { n: { type: 'integer', default: 3 } } },
        tags: { type: 'array', items: { type: 'string' }, default: ['a'] },
        plain: { type: 'string' },
      },
      required: ['req'],
    };
    expect(initialValue(schema, schema)).toEqual({ duration: 10, req: { n: 3 }, tags: ['a'] });
  });

  it('only turns image/audio base64 into data URLs', () => {
    expect(safeMediaUrl('image', 'image/png', 'iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeMediaUrl('image', 'text/html', 'PGI+')).toBeUndefined();
    expect(safeMediaUrl('image', 'image/png;charset=x', 'iVBO')).toBeUndefined();
    expect(safeMediaUrl('image', 'image/png', '"><script>')).toBeUndefined();
    expect(safeMediaUrl('audio', 'audio/wav', 'UklGR g==')).toBe('data:audio/wav;base64,UklGRg==');
  });
});
