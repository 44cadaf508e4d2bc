import { describe, expect, it } from 'vitest';
import { TrafficEntrySchema, type JsonRpcEntry, type TrafficEntry } from './entry';
import { REDACTED } from './redact';
import { TrafficRecorder } from './traffic-recorder';

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TrafficRecorder', () => {
  it('pairs client requests with responses and measures latency', () => {
    const c = clock();
    const rec = new TrafficRecorder({ now: c.now });
    const req = rec.recordMessage('s1', 'out', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } });
    c.advance(5);
    rec.recordMessage('s1', 'in', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } });
    c.advance(37);
    const res = rec.recordMessage('s1', 'in', { jsonrpc: '2.0', id: 1, result: { content: [] } });
    expect(res).toMatchObject({ direction: 'in', id: 1, method: 'tools/call', pairedSeq: req.seq, latencyMs: 42 });
    expect(req.pairedSeq).toBe(res.seq);
    // Each entry validates against the exported schema.
    for (const e of rec.list('s1')) expect(TrafficEntrySchema.safeParse(e).success).toBe(true);
  });

  it('pairs server→client requests (sampling) the other way round, and keeps servers and id types apart', () => {
    const c = clock();
    const rec = new TrafficRecorder({ now: c.now });
    const req = rec.recordMessage('s1', 'in', { jsonrpc: '2.0', id: 0, method: 'sampling/createMessage', params: {} });
    rec.recordMessage('s2', 'out', { jsonrpc: '2.0', id: 0, method: 'ping' });
    c.advance(10);
    // A response to s1 with a string id "0" is not the answer to numeric id 0.
    const wrongType = rec.recordMessage('s1', 'out', { jsonrpc: '2.0', id: '0', result: {} });
    expect(wrongType.pairedSeq).toBeUndefined();
    const res = rec.recordMessage('s1', 'out', { jsonrpc: '2.0', id: 0, result: { role: 'assistant' } });
    expect(res).toMatchObject({ pairedSeq: req.seq, latencyMs: 10, method: 'sampling/createMessage' });
    // s2's ping is still waiting for its own answer.
    const pong = rec.recordMessage('s2', 'in', { jsonrpc: '2.0', id: 0, result: {} });
    expect(pong.method).toBe('ping');
  });

  it('pairs error responses and ignores a second response for the same id', () => {
    const rec = new TrafficRecorder();
    const req = rec.recordMessage('s', 'out', { jsonrpc: '2.0', id: 'a', method: 'tools/call' });
    const err = rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 'a', error: { code: -32602, message: 'bad' } });
    expect(err.pairedSeq).toBe(req.seq);
    expect(err.latencyMs).toBeGreaterThanOrEqual(0);
    expect(rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 'a', result: {} }).pairedSeq).toBeUndefined();
  });

  it('redacts messages without mutating the caller object', () => {
    const rec = new TrafficRecorder();
    const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'login', arguments: { user: 'u', password: 'hunter2', apiKey: 'k' } } };
    const entry = rec.recordMessage('s', 'out', message);
    expect(message.params.arguments.password).toBe('hunter2');
    expect(JSON.stringify(entry.message)).not.toContain('hunter2');
    expect((entry.message as typeof message).params.arguments).toEqual({ user: 'u', password: REDACTED, apiKey: REDACTED });
  });

  it('is bounded per server and keeps the newest entries', () => {
    const rec = new TrafficRecorder({ capacity: 10 });
    for (let i = 0; i < 25; i++) rec.recordMessage('s', 'out', { jsonrpc: '2.0', method: 'notifications/message', params: { i } });
    rec.recordMessage('other', 'out', { jsonrpc: '2.0', method: 'ping', id: 1 });
    const list = rec.list('s') as JsonRpcEntry[];
    expect(list).toHaveLength(10);
    expect(list.map((e) => (e.message as { params: { i: number } }).params.i)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(rec.list('other')).toHaveLength(1);
  });

  it('bounds the size of each recorded string', () => {
    const rec = new TrafficRecorder({ maxStringChars: 100 });
    const entry = rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'x'.repeat(10_000) }] } });
    expect(JSON.stringify(entry.message).length).toBeLessThan(300);
  });

  it('bounds the table of unanswered requests', () => {
    const rec = new TrafficRecorder({ capacity: 3 });
    for (let i = 0; i < 10; i++) rec.recordMessage('s', 'out', { jsonrpc: '2.0', id: i, method: 'slow' });
    expect(rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 0, result: {} }).pairedSeq).toBeUndefined();
    expect(rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 9, result: {} }).pairedSeq).toBeDefined();
  });

  it('filters by method, direction, kind, afterSeq and limit', () => {
    const rec = new TrafficRecorder();
    rec.recordMessage('s', 'out', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 1, result: { tools: [] } });
    const call = rec.recordMessage('s', 'out', { jsonrpc: '2.0', id: 2, method: 'tools/call' });
    rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 2, result: {} });
    rec.recordHttp('s', { method: 'post', url: 'https://x/mcp', status: 200, durationMs: 3, phase: 'mcp' });
    expect(rec.list('s', { method: 'tools/list' })).toHaveLength(2);
    expect(rec.list('s', { direction: 'in' }).map((e) => e.seq)).toEqual([2, 4]);
    expect(rec.list('s', { kind: 'http' })).toHaveLength(1);
    expect(rec.list('s', { afterSeq: call.seq }).map((e) => e.seq)).toEqual([4, 5]);
    expect(rec.list('s', { limit: 2 }).map((e) => e.seq)).toEqual([4, 5]);
    expect(rec.list('missing')).toEqual([]);
  });

  it('notifies listeners, survives a throwing listener, and clears one server', () => {
    const rec = new TrafficRecorder();
    const seen: TrafficEntry[] = [];
    rec.onEntry(() => {
      throw new Error('boom');
    });
    const off = rec.onEntry((e) => seen.push(e));
    rec.recordMessage('s', 'out', { jsonrpc: '2.0', method: 'ping', id: 1 });
    off();
    rec.recordMessage('s', 'out', { jsonrpc: '2.0', method: 'ping', id: 2 });
    expect(seen).toHaveLength(1);
    rec.recordMessage('t', 'out', { jsonrpc: '2.0', method: 'ping', id: 1 });
    rec.clear('s');
    expect(rec.list('s')).toEqual([]);
    expect(rec.list('t')).toHaveLength(1);
    // After clear, an old id does not pair with a forgotten request.
    expect(rec.recordMessage('s', 'in', { jsonrpc: '2.0', id: 2, result: {} }).pairedSeq).toBeUndefined();
  });

  it('records HTTP exchanges with url, headers and bodies redacted', () => {
    const rec = new TrafficRecorder({ now: () => 5_000 });
    const entry = rec.recordHttp('remote', {
      method: 'post',
      url: 'https://as.example/oauth/token?client_secret=CS1',
      status: 200,
      durationMs: 120,
      requestHeaders: { Authorization: 'Basic Y2xpZW50OnNlY3JldA==', 'Content-Type': 'application/x-www-form-urlencoded' },
      responseHeaders: new Headers({ 'Set-Cookie': 'sid=SID1', 'Content-Type': 'application/json' }),
      requestBody: 'grant_type=refresh_token&refresh_token=RT1&client_id=app',
      responseBody: JSON.stringify({ access_token: 'AT1', refresh_token: 'RT2', expires_in: 60 }),
    });
    expect(entry).toMatchObject({ kind: 'http', method: 'POST', status: 200, phase: 'token', ts: 4_880 });
    expect(TrafficEntrySchema.safeParse(entry).success).toBe(true);
    const text = JSON.stringify(entry);
    for (const secret of ['CS1', 'Y2xpZW50OnNlY3JldA', 'SID1', 'RT1', 'AT1', 'RT2']) expect(text, secret).not.toContain(secret);
    expect(entry.requestHeaders['content-type']).toBe('application/x-www-form-urlencoded');
    expect(JSON.parse(entry.responseBody!).expires_in).toBe(60);
  });
});
