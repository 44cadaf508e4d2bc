import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore, type HistoryStoreOptions } from './history-store';
import { segmentName } from './jsonl-files';
import { HistoryRecordSchema, HistorySummarySchema, type HistoryRecordInput, type HistorySummary } from './record';
import { PREVIEW_CHARS } from './summarize';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-history-'));
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openStore(options: Partial<HistoryStoreOptions> = {}): Promise<HistoryStore> {
  const store = new HistoryStore({ dir, ...options });
  stores.push(store);
  await store.open();
  return store;
}

let counter = 0;
function call(overrides: Partial<HistoryRecordInput> = {}): HistoryRecordInput {
  counter++;
  return {
    id: `call-${counter}`,
    serverId: 'srv-a',
    serverName: 'Alpha Server',
    tool: 'echo',
    arguments: { message: `hello ${counter}` },
    result: { content: [{ type: 'text', text: `Echo: hello ${counter}` }] },
    status: 'ok',
    startedAt: 1_700_000_000_000 + counter,
    durationMs: 12,
    ...overrides,
  };
}

async function diskText(): Promise<string> {
  const names = await readdir(dir);
  const texts = await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')));
  return texts.join('');
}

describe('HistoryStore', () => {
  it('appends, answers queries with summaries and returns full records before and after the flush', async () => {
    const store = await openStore();
    const big = 'x'.repeat(50_000);
    const stored = store.append(call({ id: 'big', arguments: { blob: big }, result: { content: [{ type: 'text', text: big }] } }));
    expect(HistoryRecordSchema.safeParse(stored).success).toBe(true);

    const page = store.query();
    expect(page.total).toBe(1);
    const summary = page.records[0]!;
    expect(HistorySummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.argumentsPreview.length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(summary.resultPreview!.length).toBeLessThanOrEqual(PREVIEW_CHARS);
    expect(summary).not.toHaveProperty('arguments');
    expect(summary).not.toHaveProperty('result');

    expect((await store.get('big'))?.arguments).toEqual({ blob: big }); // still queued
    await store.flush();
    expect((await store.get('big'))?.arguments).toEqual({ blob: big }); // from disk
    expect(await store.get('nope')).toBeUndefined();
  });

  it('generates ids, rejects duplicates, invalid records and appends after close', async () => {
    const store = await openStore();
    const { id: _omit, ...withoutId } = call();
    const stored = store.append(withoutId);
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => store.append({ ...call(), id: stored.id })).toThrow(/duplicate/);
    expect(() => store.append({ ...call(), status: 'weird' as never })).toThrow(TypeError);
    // An Error instance as `error` is stored as plain data and survives a reload.
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    store.append(call({ id: 'with-error', status: 'error', result: undefined, error: err }));
    await store.close();
    expect(() => store.append(call())).toThrow(/closed/);
    const reopened = await openStore();
    expect((await reopened.get('with-error'))?.error).toEqual({ code: 'ECONNRESET', message: 'socket hang up' });
  });

  it('reloads every record after a restart', async () => {
    const first = await openStore();
    const ids: string[] = [];
    for (let i = 0; i < 250; i++) ids.push(first.append(call({ tool: i % 2 ? 'echo' : 'add', status: i % 5 === 0 ? 'tool-error' : 'ok' })).id);
    await first.close();

    const second = await openStore();
    expect(second.size).toBe(250);
    expect(second.query({ limit: 1000 }).records.map((r) => r.id)).toEqual([...ids].reverse());
    expect(second.query({ status: 'tool-error' }).total).toBe(50);
    expect((await second.get(ids[17]!))?.id).toBe(ids[17]);
    // Appending after the restart continues in the same file and survives another restart.
    second.append(call({ id: 'after-restart' }));
    await second.close();
    const third = await openStore();
    expect(third.size).toBe(251);
    expect((await third.get('after-restart'))?.id).toBe('after-restart');
    expect(third.stats().skippedLines).toBe(0);
  });

  it('skips a torn tail line and a corrupted middle line without losing the rest', async () => {
    const first = await openStore();
    for (let i = 0; i < 10; i++) first.append(call({ id: `r${i}` }));
    await first.close();
    const file = join(dir, segmentName(1));
    // Corrupt one line in the middle, then simulate a crash mid-write.
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[4] = lines[4]!.slice(0, 30);
    await writeFile(file, lines.join('\n'));
    await appendFile(file, '{"id":"torn","serverId":"srv-a","serverN');

    const second = await openStore();
    expect(second.size).toBe(9);
    expect(second.stats().skippedLines).toBe(2);
    expect(await second.get('r4')).toBeUndefined();
    expect((await second.get('r9'))?.id).toBe('r9');

    // The next record must not be glued onto the torn line.
    second.append(call({ id: 'after-crash' }));
    await second.close();
    const third = await openStore();
    expect(third.size).toBe(10);
    expect((await third.get('after-crash'))?.id).toBe('after-crash');
    expect((await third.get('r0'))?.id).toBe('r0');
  });

  it('rotates segments by size and deletes the oldest beyond maxFiles', async () => {
    const store = await openStore({ maxFileBytes: 2_000, maxFiles: 3 });
    for (let i = 0; i < 60; i++) store.append(call({ id: `rot-${i}`, serverId: i < 30 ? 'old' : 'new', serverName: i < 30 ? 'Old' : 'New' }));
    await store.flush();

    const names = (await readdir(dir)).sort();
    expect(names.length).toBe(3);
    for (const name of names) expect((await readFile(join(dir, name))).length).toBeLessThanOrEqual(2_000);
    // The index holds exactly the records still on disk, newest kept.
    const onDisk = (await diskText())
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).id as string);
    expect(store.size).toBe(onDisk.length);
    expect(store.size).toBeLessThan(60);
    expect(store.query({ limit: 1 }).records[0]!.id).toBe('rot-59');
    expect(await store.get('rot-0')).toBeUndefined();
    const surviving = store.query({ limit: 1000 }).records.at(-1)!.id;
    expect((await store.get(surviving))?.id).toBe(surviving);
    // Facets follow the pruning.
    const oldOnDisk = onDisk.filter((id) => Number(id.slice(4)) < 30).length;
    expect(store.facets().servers).toEqual([
      { id: 'new', name: 'New', count: onDisk.length - oldOnDisk },
      ...(oldOnDisk > 0 ? [{ id: 'old', name: 'Old', count: oldOnDisk }] : []),
    ]);

    await store.close();
    const reopened = await openStore({ maxFileBytes: 2_000, maxFiles: 3 });
    expect(reopened.size).toBe(onDisk.length);
  });

  it('keeps text search exact across thousands of records, rotation and a reload', async () => {
    const options = { maxFileBytes: 64 * 1024, maxFiles: 4 };
    const store = await openStore(options);
    for (let i = 0; i < 3_000; i++) store.append(call({ id: `m${i}`, arguments: { n: i, tag: i % 13 === 0 ? 'Thirteen' : 'plain' } }));
    await store.flush();
    const kept: Array<{ id: string; tag: string }> = [];
    for await (const r of store.exportAll()) kept.push({ id: r.id, tag: (r.arguments as { tag: string }).tag });
    expect(kept.length).toBe(store.size);
    expect(kept.length).toBeLessThan(3_000); // rotation dropped the oldest
    const expected = kept
      .filter((r) => r.tag === 'Thirteen')
      .map((r) => r.id)
      .reverse();
    expect(store.query({ text: 'thirteen', limit: 10_000 }).records.map((r) => r.id)).toEqual(expected);
    await store.close();
    const reopened = await openStore(options);
    expect(reopened.query({ text: 'THIRTEEN', limit: 10_000 }).records.map((r) => r.id)).toEqual(expected);
  });

  it('filters by text (case-insensitive over tool, server, arguments, result and error), server, tool and status', async () => {
    const store = await openStore();
    store.append(call({ id: 'a', tool: 'get_weather', arguments: { city: 'Zürich' }, result: { content: [{ type: 'text', text: 'Sunny, 21°C' }] } }));
    store.append(
      call({
        id: 'b',
        tool: 'search',
        serverId: 'srv-b',
        serverName: 'Bravo Docs',
        arguments: { query: 'MCP spec' },
        result: { content: [{ type: 'text', text: 'Found 3 pages' }] },
      }),
    );
    store.append(
      call({
        id: 'c',
        tool: 'search',
        serverId: 'srv-b',
        serverName: 'Bravo Docs',
        arguments: { query: 'oauth' },
        result: undefined,
        status: 'error',
        error: { code: -32001, message: 'Request Timed Out upstream' },
      }),
    );
    store.append(
      call({ id: 'd', tool: 'run', arguments: {}, result: { isError: true, content: [{ type: 'text', text: 'Permission DENIED' }] }, status: 'tool-error' }),
    );
    store.append(
      call({ id: 'e', tool: 'image', arguments: {}, result: { content: [{ type: 'image', data: 'QUJDREVGR0hJSktMTU5PUA==', mimeType: 'image/png' }] } }),
    );

    const ids = (q: Parameters<HistoryStore['query']>[0]): string[] => store.query(q).records.map((r: HistorySummary) => r.id);
    expect(ids({ text: 'WEATHER' })).toEqual(['a']); // tool name
    expect(ids({ text: 'bravo' })).toEqual(['c', 'b']); // server name, newest first
    expect(ids({ text: 'zürich' })).toEqual(['a']); // argument value
    expect(ids({ text: 'city' })).toEqual(['a']); // argument key
    expect(ids({ text: 'sunny, 21' })).toEqual(['a']); // result text
    expect(ids({ text: 'timed out' })).toEqual(['c']); // error message
    expect(ids({ text: 'denied' })).toEqual(['d']);
    expect(ids({ text: 'qujdrevg' })).toEqual([]); // base64 payloads are not searched
    expect(ids({ text: '   ' })).toHaveLength(5);
    expect(ids({ serverId: 'srv-b' })).toEqual(['c', 'b']);
    expect(ids({ tool: 'search', status: 'ok' })).toEqual(['b']);
    expect(ids({ status: 'tool-error' })).toEqual(['d']);
    expect(ids({ text: 'search', serverId: 'srv-a' })).toEqual([]);

    const page = store.query({ limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.records.map((r) => r.id)).toEqual(['d', 'c']);
    expect(store.query({ limit: 2, offset: 4 }).records.map((r) => r.id)).toEqual(['a']);

    expect(store.facets()).toEqual({
      servers: [
        { id: 'srv-a', name: 'Alpha Server', count: 3 },
        { id: 'srv-b', name: 'Bravo Docs', count: 2 },
      ],
      tools: [
        { name: 'get_weather', count: 1 },
        { name: 'image', count: 1 },
        { name: 'run', count: 1 },
        { name: 'search', count: 2 },
      ],
      statuses: [
        { status: 'error', count: 1 },
        { status: 'ok', count: 3 },
        { status: 'tool-error', count: 1 },
      ],
      clients: [],
    });
  });

  it('caps the searchable text per record', async () => {
    const store = await openStore();
    store.append(call({ id: 'long', arguments: { text: `${'a'.repeat(5_000)} needle-at-the-end` } }));
    expect(store.query({ text: 'needle-at-the-end' }).total).toBe(0);
    expect(store.query({ text: 'aaaa' }).total).toBe(1);
  });

  it('never writes a secret to disk', async () => {
    const store = await openStore();
    store.append(
      call({
        id: 's1',
        arguments: { url: 'https://api', headers: { Authorization: 'Bearer SECRET_AUTH_1' }, nested: [{ api_key: 'SECRET_KEY_2', password: 'SECRET_PW_3' }] },
        result: {
          content: [{ type: 'text', text: 'sent header Bearer SECRET_TEXT_TOKEN_4xyzxyz' }],
          structuredContent: { access_token: 'SECRET_AT_5', refresh_token: 'SECRET_RT_6', client_secret: 'SECRET_CS_7' },
        },
      }),
    );
    store.append(
      call({
        id: 's2',
        status: 'error',
        result: undefined,
        error: { message: 'upstream rejected Bearer SECRET_ERR_TOKEN_8abcdef' },
        arguments: { cookie: 'SECRET_COOKIE_9', token: 'SECRET_TOKEN_10' },
      }),
    );
    await store.flush();
    const text = await diskText();
    expect(text).toContain('s1');
    for (const secret of [
      'SECRET_AUTH_1',
      'SECRET_KEY_2',
      'SECRET_PW_3',
      'SECRET_TEXT_TOKEN_4',
      'SECRET_AT_5',
      'SECRET_RT_6',
      'SECRET_CS_7',
      'SECRET_ERR_TOKEN_8',
      'SECRET_COOKIE_9',
      'SECRET_TOKEN_10',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    // Nor does it come back through the API.
    expect(JSON.stringify(await store.get('s1'))).not.toContain('SECRET');
    expect(JSON.stringify(store.query())).not.toContain('SECRET');
  });

  it('exports every record as JSON, oldest first', async () => {
    const store = await openStore({ maxFileBytes: 1_500 });
    for (let i = 0; i < 20; i++) store.append(call({ id: `x${i}` }));
    const exported = JSON.parse(await store.exportJson()) as Array<{ id: string }>;
    expect(exported.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => `x${i}`));
    for (const r of exported) expect(HistoryRecordSchema.safeParse(r).success).toBe(true);
    const streamed: string[] = [];
    for await (const r of store.exportAll()) streamed.push(r.id);
    expect(streamed).toHaveLength(20);
    await store.clear();
    expect(await store.exportJson()).toBe('[]');
  });

  it('notifies onAppend listeners with summaries until unsubscribed', async () => {
    const store = await openStore();
    const seen: HistorySummary[] = [];
    const off = store.onAppend((s) => seen.push(s));
    store.onAppend(() => {
      throw new Error('listener bug');
    });
    store.append(call({ id: 'l1' }));
    off();
    store.append(call({ id: 'l2' }));
    expect(seen.map((s) => s.id)).toEqual(['l1']);
    expect(seen[0]).not.toHaveProperty('arguments');
  });

  it('clear() removes records from memory and disk, and the store keeps working', async () => {
    const store = await openStore({ maxFileBytes: 1_000 });
    for (let i = 0; i < 20; i++) store.append(call());
    await store.flush();
    store.append(call({ id: 'queued-then-cleared' }));
    await store.clear();
    expect(store.size).toBe(0);
    expect(store.facets()).toEqual({ servers: [], tools: [], statuses: [], clients: [] });
    expect(await readdir(dir)).toEqual([]);
    store.append(call({ id: 'fresh' }));
    await store.close();
    const reopened = await openStore({ maxFileBytes: 1_000 });
    expect(reopened.query().records.map((r) => r.id)).toEqual(['fresh']);
  });

  it('drops extra segments when maxFiles was lowered since the last run', async () => {
    const first = await openStore({ maxFileBytes: 800, maxFiles: 10 });
    for (let i = 0; i < 40; i++) first.append(call());
    await first.close();
    expect((await readdir(dir)).length).toBeGreaterThan(3);
    const second = await openStore({ maxFileBytes: 800, maxFiles: 3 });
    expect((await readdir(dir)).length).toBeLessThanOrEqual(3);
    const onDisk = (await diskText()).split('\n').filter(Boolean).length;
    expect(second.size).toBe(onDisk);
  });
});
