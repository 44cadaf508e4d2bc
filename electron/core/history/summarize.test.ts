import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from './record';
import { PREVIEW_CHARS, SEARCH_CHARS, preview, searchText, summarize } from './summarize';

describe('preview', () => {
  it('equals JSON.stringify for small values', () => {
    for (const v of [{ a: 1, b: 'two', c: [true, null, { d: 'é"\n' }] }, [], {}, 'text', 0, -1.5, null, [1, 2, 3]]) expect(preview(v)).toBe(JSON.stringify(v));
    expect(preview({ skip: undefined, keep: 1 })).toBe('{"keep":1}');
    expect(preview(undefined)).toBe('');
  });

  it('shortens long strings and arrays and caps the total', () => {
    expect(preview({ s: 'x'.repeat(500) })).toBe(`{"s":"${'x'.repeat(120)}..."}`);
    expect(preview(Array.from({ length: 50 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,8,9,"... 40 more"]');
    const big = { content: Array.from({ length: 1000 }, () => ({ type: 'text', text: 'y'.repeat(10_000) })) };
    const out = preview(big);
    expect(out.length).toBe(PREVIEW_CHARS);
    expect(out.endsWith('...')).toBe(true);
  });
});

describe('searchText', () => {
  const record = (over: Partial<HistoryRecord>): HistoryRecord => ({
    id: '1',
    serverId: 's',
    serverName: 'My Server',
    tool: 'Get_Thing',
    arguments: {},
    status: 'ok',
    startedAt: 0,
    durationMs: 0,
    ...over,
  });

  it('holds tool, server name, argument keys and values, result text and error message, lowercased', () => {
    const text = searchText(
      record({
        arguments: { City: 'Paris', n: 3 },
        result: {
          content: [
            { type: 'text', text: 'Sunny' },
            { type: 'image', data: 'QUFBQQ==', mimeType: 'image/png' },
          ],
        },
        error: { message: 'Boom' },
      }),
    );
    for (const part of ['get_thing', 'my server', 'city', 'paris', '3', 'sunny', 'boom']) expect(text).toContain(part);
    expect(text).not.toContain('quf'); // base64 payloads are skipped
    expect(text).not.toContain('image/png');
  });

  it('is capped', () => {
    expect(
      searchText(record({ arguments: { a: 'a'.repeat(10_000) }, result: { content: [{ type: 'text', text: 'b'.repeat(10_000) }] } })).length,
    ).toBeLessThanOrEqual(SEARCH_CHARS + 8);
  });
});

describe('summarize', () => {
  it('keeps identity fields and previews, never the payloads', () => {
    const s = summarize({
      id: 'x',
      serverId: 's',
      serverName: 'S',
      tool: 't',
      arguments: { q: 1 },
      result: { content: [] },
      status: 'ok',
      startedAt: 5,
      durationMs: 7,
    });
    expect(s).toEqual({
      id: 'x',
      serverId: 's',
      serverName: 'S',
      tool: 't',
      status: 'ok',
      startedAt: 5,
      durationMs: 7,
      argumentsPreview: '{"q":1}',
      resultPreview: '{"content":[]}',
    });
    const e = summarize({
      id: 'y',
      serverId: 's',
      serverName: 'S',
      tool: 't',
      arguments: {},
      error: { message: 'm'.repeat(1000) },
      status: 'error',
      startedAt: 5,
      durationMs: 7,
    });
    expect(e.errorMessage!.length).toBe(PREVIEW_CHARS);
    expect(e.resultPreview).toBeUndefined();
  });
});
