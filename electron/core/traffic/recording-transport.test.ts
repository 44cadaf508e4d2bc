import { describe, expect, it } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/client';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/client';
import { wrapTransport, type TrafficMessage } from './recording-transport';

// The wrapper's contract on in-memory transports; recordings of real stdio and
// Streamable HTTP sessions are in test/traffic/recording-transport.test.ts.

describe('wrapTransport', () => {
  it('preserves callbacks, sessionId, setProtocolVersion and tolerates a throwing observer', async () => {
    const [a, b] = InMemoryTransport.createLinkedPair();
    const seen: Array<['in' | 'out', TrafficMessage]> = [];
    let versions: string[] = [];
    const inner = Object.assign(a, { sessionId: 'sess-1', setProtocolVersion: (v: string) => void versions.push(v) });
    const wrapped = wrapTransport(inner, (direction, message) => {
      seen.push([direction, message]);
      throw new Error('observer failure must not matter');
    });
    expect(wrapped.sessionId).toBe('sess-1');
    wrapped.setProtocolVersion?.('2025-06-18');
    expect(versions).toEqual(['2025-06-18']);
    versions = [];

    const received: JSONRPCMessage[] = [];
    const errors: Error[] = [];
    wrapped.onmessage = (m) => void received.push(m);
    wrapped.onerror = (e) => void errors.push(e);
    let closes = 0;
    wrapped.onclose = () => void closes++;
    expect(typeof wrapped.onmessage).toBe('function');

    const peer: JSONRPCMessage[] = [];
    b.onmessage = (m) => void peer.push(m);
    await wrapped.start();
    await b.start();
    await wrapped.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await b.send({ jsonrpc: '2.0', id: 1, result: {} });
    inner.onerror?.(new Error('inner error'));

    expect(peer).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    expect(seen.map(([d]) => d)).toEqual(['out', 'in']);
    expect(errors.map((e) => e.message)).toEqual(['inner error']);

    // onclose fires once per close, as without the wrapper (SDK v2's InMemoryTransport no longer echoes its peer's close).
    await wrapped.close();
    expect(closes).toBe(1);
  });

  it('does not invent setProtocolVersion when the transport has none', () => {
    const [a] = InMemoryTransport.createLinkedPair();
    const wrapped: Transport = wrapTransport(a, () => {});
    expect(wrapped.setProtocolVersion).toBeUndefined();
  });
});
