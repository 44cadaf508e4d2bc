import { describe, expect, it } from 'vitest';
import { FrameTransport } from './frame-transport';

// The host end of the app's postMessage channel: only the app frame's window, only from the app's origin.
describe('FrameTransport', () => {
  const ORIGIN = 'switchboard-app://0123456789abcdef0123456789abcdef';
  const message = { jsonrpc: '2.0', id: 1, method: 'ping' };

  function setup() {
    // Stand-ins for two frames' windows (identity is what counts).
    const sent: [unknown, string][] = [];
    const frame = { postMessage: (m: unknown, o: string) => void sent.push([m, o]) } as unknown as Window;
    const other = { postMessage: () => undefined } as unknown as Window;
    const transport = new FrameTransport(frame, ORIGIN);
    const received: unknown[] = [];
    transport.onmessage = (m) => received.push(m);
    const post = (data: unknown, origin: string, source: Window) => {
      const event = new MessageEvent('message', { data, origin });
      Object.defineProperty(event, 'source', { value: source });
      window.dispatchEvent(event);
    };
    return { transport, frame, other, sent, received, post };
  }

  it("accepts JSON-RPC from the frame's window and origin only, and answers that origin only", async () => {
    const t = setup();
    await t.transport.start();
    t.post(message, ORIGIN, t.frame);
    t.post(message, 'switchboard-app://ffffffffffffffffffffffffffffffff', t.frame); // the frame navigated elsewhere
    t.post(message, ORIGIN, t.other); // another frame
    t.post(message, ORIGIN, window); // ourselves
    expect(t.received).toEqual([message]);
    await t.transport.send(message as never);
    expect(t.sent).toEqual([[message, ORIGIN]]);
    await t.transport.close();
    t.post(message, ORIGIN, t.frame);
    expect(t.received).toHaveLength(1);
  });

  it('reports, and does not deliver, what is not JSON-RPC', async () => {
    const t = setup();
    const errors: Error[] = [];
    t.transport.onerror = (e) => errors.push(e);
    await t.transport.start();
    t.post({ hello: 'world' }, ORIGIN, t.frame);
    expect(t.received).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
