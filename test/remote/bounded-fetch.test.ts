import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IpcError } from '../../shared/contract/errors';
import { lengthWithin, observingFetch } from '../../electron/core/remote/bounded-fetch';
import { useCleanup } from '../helpers/cleanup';

// The response size cap under the MCP transports, against a raw socket server that
// frames its answer however it likes (lying Content-Length, chunked, gzip).

const track = useCleanup();
const CAP = 64 * 1024;

/** Answers every request with `head` (status line and headers, without the blank line) then `body`, then closes. */
async function rawServer(head: string, body: Buffer): Promise<string> {
  const server = net.createServer((socket) => {
    let seen = '';
    socket.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      socket.write(`${head}\r\nConnection: close\r\n\r\n`);
      socket.end(body);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  track({ close: () => new Promise<void>((done) => server.close(() => done())) });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/mcp`;
}

function chunked(payload: Buffer, size = 8192): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < payload.length; at += size) {
    const piece = payload.subarray(at, at + size);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Reads the body the way the SDK does; resolves to its size, or the error the read failed with. */
async function read(url: string): Promise<number | Error> {
  const f = observingFetch(undefined, {}, CAP);
  try {
    const res = await f(url, { method: 'POST', body: '{}' });
    return (await res.arrayBuffer()).byteLength;
  } catch (error) {
    return error as Error;
  }
}

const json = (bytes: number) => Buffer.from(`{"x":"${'a'.repeat(bytes - 8)}"}`);

describe('observingFetch: response size cap', () => {
  it('passes an honest body within the cap, chunked or with a Content-Length', async () => {
    const body = json(CAP - 10);
    expect(await read(await rawServer(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`, body))).toBe(body.length);
    expect(await read(await rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked', chunked(body)))).toBe(body.length);
  });

  it('refuses a chunked body over the cap', async () => {
    const err = await read(await rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked', chunked(json(CAP * 4))));
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe('PROTOCOL_ERROR');
  });

  it('refuses a body whose honest Content-Length is over the cap', async () => {
    const body = json(CAP * 2);
    const err = await read(await rawServer(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}`, body));
    expect(err).toBeInstanceOf(IpcError);
  });

  it('a server that declares a small Content-Length and sends more delivers at most what it declared', async () => {
    const result = await read(await rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100', json(CAP * 8)));
    if (typeof result === 'number') expect(result).toBeLessThanOrEqual(100);
    else expect(result).toBeInstanceOf(Error);
  });

  it('a small Content-Length beside Transfer-Encoding: chunked never lets a large body through', async () => {
    const result = await read(
      await rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nTransfer-Encoding: chunked', chunked(json(CAP * 8))),
    );
    if (typeof result === 'number') expect(result).toBeLessThanOrEqual(CAP);
    else expect(result).toBeInstanceOf(Error);
  });

  it('refuses a compressed body that decodes past the cap although its Content-Length is small', async () => {
    const bomb = gzipSync(json(CAP * 16));
    expect(bomb.length).toBeLessThan(CAP);
    const err = await read(
      await rawServer(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}`, bomb),
    );
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe('PROTOCOL_ERROR');
  });

  it('lengthWithin trusts only a plain, in-cap Content-Length', () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(lengthWithin(h({ 'content-length': '10' }), 100)).toBe(true);
    expect(lengthWithin(h({ 'content-length': '10', 'content-encoding': 'identity' }), 100)).toBe(true);
    expect(lengthWithin(h({ 'content-length': '101' }), 100)).toBe(false);
    expect(lengthWithin(h({ 'content-length': '10', 'content-encoding': 'gzip' }), 100)).toBe(false);
    expect(lengthWithin(h({ 'content-length': '10', 'transfer-encoding': 'chunked' }), 100)).toBe(false);
    expect(lengthWithin(h({ 'content-length': '1e3' }), 100_000)).toBe(false);
    expect(lengthWithin(h({ 'content-length': '10, 10' }), 100)).toBe(false);
    expect(lengthWithin(h({}), 100)).toBe(false);
  });
});

describe('observingFetch: the cap holds however the body is read', () => {
  const over = () => rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked', chunked(json(CAP * 4)));
  const fetchIt = async (url: string) => observingFetch(undefined, {}, CAP)(url, { method: 'POST', body: '{}' });
  const refusal = async (pending: Promise<unknown>) => {
    const err = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).code).toBe('PROTOCOL_ERROR');
  };

  it('json() and text() of a chunked body within the cap read it; over the cap they refuse', async () => {
    const small = json(CAP - 10);
    const ok = await fetchIt(await rawServer('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked', chunked(small)));
    expect(await ok.json()).toEqual(JSON.parse(small.toString()));
    await expect(ok.text()).rejects.toThrow(TypeError); // read once, like any body
    await refusal((await fetchIt(await over())).json());
    await refusal((await fetchIt(await over())).text());
    await refusal((await fetchIt(await over())).bytes());
    await refusal((await fetchIt(await over())).blob());
  });

  it('a body stream taken directly (getReader, async iteration, pipeThrough) is capped too', async () => {
    const drain = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      for (;;) if ((await reader.read()).done) return;
    };
    await refusal(drain((await fetchIt(await over())).body!.getReader()));
    await refusal(
      (async () => {
        for await (const chunk of (await fetchIt(await over())).body! as unknown as AsyncIterable<Uint8Array>) void chunk;
      })(),
    );
    await refusal(drain((await fetchIt(await over())).body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>()).getReader()));
  });

  it('a body labelled text/event-stream that is read whole (an answer to a notification, an error) is capped too; the stream itself is not', async () => {
    const sse = (type: string) =>
      rawServer(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked`, chunked(Buffer.from(`data: ${'a'.repeat(CAP * 4)}\n\n`)));
    await refusal((await fetchIt(await sse('text/event-stream'))).text());
    await refusal((await fetchIt(await sse('text/event-streamx'))).text());
    // Read as a stream (what the SSE parser does), it passes: a stream may run for hours.
    const res = await fetchIt(await sse('text/event-stream; charset=utf-8'));
    let seen = 0;
    for await (const chunk of res.body! as unknown as AsyncIterable<Uint8Array>) seen += chunk.byteLength;
    expect(seen).toBeGreaterThan(CAP * 4);
  });

  it('a clone and the response it came from are both capped', async () => {
    const res = await fetchIt(await over());
    const copy = res.clone();
    await refusal(copy.arrayBuffer());
    await refusal(res.text());
  });
});
