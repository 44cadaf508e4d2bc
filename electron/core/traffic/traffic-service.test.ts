import { describe, expect, it } from 'vitest';
import { TrafficService } from './traffic-service';

// HTTP exchanges are queued with the messages (off the call path) and redacted in the batch:
// nothing is listed before it is redacted, and the order of what was seen is kept.

describe('TrafficService: HTTP exchanges', () => {
  it('keeps an exchange off the call path, then lists it redacted, after the messages seen before it', () => {
    let busy = true;
    const traffic = new TrafficService({ emit: () => undefined, busy: () => busy, now: () => 1000 });
    traffic.enqueue('s', 'out', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}', 990);
    traffic.enqueueHttp('s', {
      method: 'POST',
      url: 'https://mcp.example.com/mcp?api_key=LEAKED-QUERY-VALUE',
      status: 200,
      durationMs: 7,
      phase: 'mcp',
      requestHeaders: { authorization: 'Bearer LEAKED-TOKEN-VALUE-123456', 'content-type': 'application/json' },
      responseHeaders: { 'set-cookie': 'sid=LEAKED-COOKIE' },
    });
    traffic.enqueue('s', 'in', '{"jsonrpc":"2.0","id":1,"result":{"content":[]}}', 996);
    // Nothing recorded yet: the recorder holds no entry until the batch (or a read) drains.
    expect(traffic.recorder.list('s')).toEqual([]);
    busy = false;
    const entries = traffic.list('s');
    expect(entries.map((e) => e.kind)).toEqual(['jsonrpc', 'http', 'jsonrpc']);
    const http = entries[1]!;
    expect(http.kind === 'http' && http.ts).toBe(993);
    const text = JSON.stringify(entries);
    expect(text).not.toMatch(/LEAKED/);
    expect(http.kind === 'http' && http.requestHeaders['content-type']).toBe('application/json');
    traffic.close();
  });
});
