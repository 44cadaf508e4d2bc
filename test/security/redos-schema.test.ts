import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import type { ClientRequestView } from '../../shared/contract';
import { SchemaForm } from '../../renderer/src/components/SchemaForm';
import { MAX_SCHEMA_CHARS, MAX_SCHEMA_DEPTH, SchemaValidators } from '../../electron/core/tools/schema-validate';
import { startTestCore, type TestCore } from '../helpers/core';

// ReDoS through server-supplied JSON Schemas: `pattern: ^(a+)+$` against 31
// characters held the core's event loop for 78.7 s. Patterns now run on RE2
// (linear time); what RE2 cannot run is skipped and reported, never handed to
// the backtracking RegExp engine.

const TOOL_CHANGER = join(import.meta.dirname, '../fixtures/servers/tool-changer.mjs');
const EVIL = '^(a+)+$';
const ATTACK = `${'a'.repeat(5000)}!`;
/** The event loop may stall this long at most while a call is checked. */
const MAX_LAG_MS = 500;

const evilString = { type: 'object', properties: { s: { type: 'string', pattern: EVIL } }, required: ['s'] };
const backref = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)\\1$' } } };
const TOOLS = {
  tools: [
    {
      name: 'evil',
      description: 'pattern ^(a+)+$ in and out',
      inputSchema: evilString,
      outputSchema: evilString,
      result: { content: [{ type: 'text', text: 'done' }], structuredContent: { s: ATTACK } },
    },
    {
      name: 'backref',
      description: 'a pattern RE2 cannot run',
      inputSchema: backref,
      outputSchema: backref,
      result: { content: [{ type: 'text', text: 'backref done' }], structuredContent: { s: 'aa' } },
    },
    // JavaScript's RegExp cannot even compile this: the SDK's own eager Ajv would fail the whole tools/list.
    { name: 'ask', description: 'elicits with the ReDoS pattern', elicit: { message: 'Your a-string?', requestedSchema: evilString } },
    {
      name: 'broken',
      description: 'a pattern no engine compiles',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '[' } } },
      result: { content: [{ type: 'text', text: 'broken done' }], structuredContent: { s: 'x' } },
    },
  ],
};

/** Largest gap between 10 ms ticks while `run` is under way: how long the event loop was blocked. */
async function maxEventLoopLag<T>(run: () => Promise<T>): Promise<{ value: T; lagMs: number }> {
  let last = performance.now();
  let lagMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 10);
    last = now;
  }, 10);
  try {
    const value = await run();
    lagMs = Math.max(lagMs, performance.now() - last - 10);
    return { value, lagMs };
  } finally {
    clearInterval(probe);
  }
}

const track = useCleanup();

async function connectEvilServer(): Promise<{ core: TestCore; id: string }> {
  const dir = track.tempDir('redos-');
  const spec = join(dir, 'tools.json');
  writeFileSync(spec, JSON.stringify(TOOLS));
  const core = track(startTestCore());
  const { server } = await core.call('addServer', {
    config: { transport: 'stdio', name: 'Evil schemas', command: process.execPath, args: [TOOL_CHANGER, spec] },
  });
  await core.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await core.call('connectServer', { serverId: server.id });
  await core.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return { core, id: server.id };
}

describe('ReDoS through server-supplied schemas', () => {
  it('a tool output schema with pattern ^(a+)+$ cannot freeze the core: the call completes and shows the verdict', async () => {
    const { core, id } = await connectEvilServer();
    const { value: res, lagMs } = await maxEventLoopLag(() => core.call('callTool', { serverId: id, tool: 'evil', arguments: { s: 'aaa' }, callId: 'out-1' }));
    expect(lagMs).toBeLessThan(MAX_LAG_MS);
    expect(res.status).toBe('ok');
    expect((res.result?.structuredContent as { s: string }).s).toBe(ATTACK);
    expect(res.structured).toMatchObject({ hasSchema: true, valid: false });
    expect(res.structured!.errors.join(' ')).toContain('must match pattern');
  });

  it('tool arguments checked against an input schema with pattern ^(a+)+$ cannot freeze the core', async () => {
    const { core, id } = await connectEvilServer();
    const { value: refused, lagMs } = await maxEventLoopLag(() =>
      core.core.dispatch('callTool', { serverId: id, tool: 'evil', arguments: { s: ATTACK }, callId: 'in-1' }),
    );
    expect(lagMs).toBeLessThan(MAX_LAG_MS);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('VALIDATION');
      expect(refused.error.details).toMatchObject({ s: expect.stringContaining('must match pattern') });
    }
  });

  it('an elicitation whose requested schema carries pattern ^(a+)+$ cannot freeze the core when answered', async () => {
    const { core, id } = await connectEvilServer();
    const call = core.call('callTool', { serverId: id, tool: 'ask', arguments: {}, callId: 'el-1' });
    const request = await core.waitForEvent('clientRequest', (p: ClientRequestView) => p.kind === 'elicitation');
    // The SDK keeps only flat primitive fields of a requested schema (no `pattern`); the core's check is bounded regardless.
    // (A matching answer: the fixture's own SDK checks it with a backtracking engine, and would hang on ATTACK.)
    const { value: answered, lagMs } = await maxEventLoopLag(() =>
      core.core.dispatch('answerElicitation', { requestId: request.requestId, action: 'accept', content: { s: 'a'.repeat(5000) } }),
    );
    expect(lagMs).toBeLessThan(MAX_LAG_MS);
    expect(answered.ok).toBe(true);
    expect(JSON.stringify((await call).result)).toContain('aaaa');
  });

  it('a pattern the linear-time engine cannot run is skipped and reported, never run on RegExp; the call still shows its result', async () => {
    const { core, id } = await connectEvilServer();
    const res = await core.call('callTool', { serverId: id, tool: 'backref', arguments: { s: 'ab' }, callId: 'br-1' });
    expect(res.status).toBe('ok');
    expect(JSON.stringify(res.result)).toContain('backref done');
    expect(res.inputUnchecked?.join(' ')).toMatch(/pattern "\^\(a\+\)\\\\1\$" cannot be checked safely.*not checked/);
    expect(res.structured).toMatchObject({ hasSchema: true, valid: true });
    expect(res.structured!.unchecked?.join(' ')).toContain('cannot be checked safely');
  });

  it('an output schema the SDK client would choke on does not break the tool list (the SDK uses our bounded, lazy validator)', async () => {
    const { core, id } = await connectEvilServer();
    const { tools } = await core.call('listTools', { serverId: id });
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ask', 'backref', 'broken', 'evil']);
    const res = await core.call('callTool', { serverId: id, tool: 'broken', arguments: {}, callId: 'bk-1' });
    expect(res.status).toBe('ok');
    expect(res.structured!.unchecked?.join(' ')).toContain('cannot be checked safely');
  });
});

describe('bounded schema checks (unit)', () => {
  it('a pattern RE2 compiles to a huge program is skipped rather than run for minutes', () => {
    const v = new SchemaValidators();
    const alternatives = Array.from({ length: 60 }, (_, i) => `[a-d]{${900 + i}}c`).join('|');
    const t0 = performance.now();
    const check = v.check({ type: 'string', pattern: `(${alternatives})$` }, 'abcd'.repeat(2500));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(check.valid).toBe(true);
    expect(check.unchecked?.[0]).toMatch(/cannot be checked safely/);
  });

  it('a schema with many near-limit patterns cannot make compiling it take long: the excess patterns are skipped and reported', () => {
    // The app's budget is 250 ms; an idle fast machine compiles these 100 patterns within it, so the test
    // shrinks the budget to make running out of it certain, and checks the whole compile stays short.
    const v = new SchemaValidators(20);
    const properties: Record<string, unknown> = {};
    for (let k = 0; k < 100; k++)
      properties[`p${k}`] = { type: 'string', pattern: `(${Array.from({ length: 28 }, (_, i) => `[a-d]{${88 + i}}c`).join('|')})${k}$` };
    const t0 = performance.now();
    const check = v.check({ type: 'object', properties }, {});
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(check.unchecked?.join(' ')).toContain('too many patterns to compile in time');
  });

  it('a string too long to check against a pattern within the work budget is skipped and reported', () => {
    const v = new SchemaValidators();
    const t0 = performance.now();
    const check = v.check(
      { type: 'array', items: { type: 'string', pattern: EVIL } },
      Array.from({ length: 50 }, () => 'a'.repeat(1_000_000)),
    );
    expect(performance.now() - t0).toBeLessThan(MAX_LAG_MS * 2);
    expect(check.valid).toBe(true);
    expect(check.unchecked?.join(' ')).toMatch(/was not checked on a value of 1000000 characters/);
  });

  it('patternProperties and propertyNames patterns run on the linear-time engine too', () => {
    const v = new SchemaValidators();
    const t0 = performance.now();
    const a = v.check({ type: 'object', patternProperties: { [EVIL]: { type: 'number' } } }, { [ATTACK]: 'x', aaa: 'not a number' });
    const b = v.check({ type: 'object', propertyNames: { pattern: EVIL } }, { [ATTACK]: 1 });
    expect(performance.now() - t0).toBeLessThan(MAX_LAG_MS);
    expect(a).toMatchObject({ valid: false, fieldErrors: { aaa: 'must be number' } });
    expect(b.valid).toBe(false);
  });

  it('uniqueItems over many object items cannot make a check quadratic', () => {
    const v = new SchemaValidators();
    const schema = { type: 'object', properties: { xs: { type: 'array', uniqueItems: true } } };
    const xs = Array.from({ length: 20_000 }, (_, i) => ({ a: i, b: [i, { c: 'x' }] }));
    const t0 = performance.now();
    expect(v.check(schema, { xs })).toEqual({ valid: true, fieldErrors: {} });
    // Linear takes tens of milliseconds; Ajv's pairwise comparison took minutes. A loose bound keeps a loaded CI honest.
    expect(performance.now() - t0).toBeLessThan(5000);
    const dup = v.check(schema, { xs: [{ a: 1, b: 2 }, { c: 3 }, { b: 2, a: 1 }] });
    expect(dup).toEqual({ valid: false, fieldErrors: { xs: 'must not have duplicate items (items 0 and 2 are identical)' } });
    expect(v.check(schema, { xs: [1, '1', [1], { 1: 1 }] }).valid).toBe(true);
  });

  it('an oversized or over-deep schema is reported, not compiled', () => {
    const v = new SchemaValidators();
    const big = { type: 'object', description: 'x'.repeat(MAX_SCHEMA_CHARS) };
    expect(v.check(big, {}).schemaError).toMatch(/too large to check safely/);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < MAX_SCHEMA_DEPTH + 1; i++) deep = { type: 'object', properties: { x: deep } };
    expect(v.check(deep, {}).schemaError).toMatch(/nested deeper/);
  });

  it('ordinary ECMA-262 patterns still behave (\\u escapes, named groups, anchors)', () => {
    const v = new SchemaValidators();
    const schema = { type: 'string', pattern: '^\\u00e9(?<n>\\d{2,3})$' };
    expect(v.check(schema, 'é12').valid).toBe(true);
    expect(v.check(schema, 'é1').valid).toBe(false);
    expect(v.check({ type: 'string', pattern: 'b' }, 'abc').valid).toBe(true);
    expect(v.check({ type: 'string', pattern: '^b' }, 'abc').valid).toBe(false);
  });

  it('the renderer form never hands a server pattern to the browser (whose constraint validation backtracks)', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: EVIL, minLength: 1 } } };
    const t0 = performance.now();
    const html = renderToStaticMarkup(createElement(SchemaForm, { schema, value: { s: ATTACK }, onChange: () => undefined }));
    expect(performance.now() - t0).toBeLessThan(MAX_LAG_MS);
    expect(html).toContain('minLength="1"');
    expect(html).not.toMatch(/\spattern=/i);
  });
});
