import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { observingFetch } from '../../electron/core/remote/bounded-fetch';
import { useCleanup } from '../helpers/cleanup';

// Each request under the MCP transports runs on a signal of its own, linked to the caller's
// (the SDK transport's long-lived signal, or a per-request AbortSignal.any) only while the
// request and its body are under way: the caller's signal never piles up listeners, and
// aborting it still stops a request at any stage. Against a real HTTP server on 127.0.0.1.

const track = useCleanup();
const CAP = 1024 * 1024;

type Mode = 'json' | 'chunked' | 'sse' | 'stall-body';

/** Holds every request until release(); then answers the way `mode` says. */
async function heldServer(mode: Mode) {
  const waiting: http.ServerResponse[] = [];
  let arrived = 0;
  let released = false;
  const answer = (res: http.ServerResponse) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: {} });
    if (mode === 'json') res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    else if (mode === 'chunked') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else if (mode === 'sse') res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`event: message\ndata: ${body}\n\n`);
    else res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 }).write('{"partial":'); // never finishes
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived++;
      if (released) answer(res);
      else waiting.push(res);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  track({
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    arrived: () => arrived,
    release: () => {
      released = true;
      for (const res of waiting.splice(0)) answer(res);
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

const post = (f: typeof fetch, url: string, signal: AbortSignal) =>
  f(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, signal });

describe('observingFetch: a signal of its own per request', () => {
  it.each(['json', 'chunked', 'sse'] as const)(
    'a long-lived signal carries one listener for 40 requests in flight (%s), none once their bodies are read',
    async (mode) => {
      const server = await heldServer(mode);
      const f = observingFetch(undefined, {}, CAP);
      const transport = new AbortController();
      const pending = Array.from({ length: 40 }, () => post(f, server.url, transport.signal));
      await until(() => server.arrived() === 40);
      expect(getEventListeners(transport.signal, 'abort').length).toBe(1);
      server.release();
      const responses = await Promise.all(pending);
      expect(getEventListeners(transport.signal, 'abort').length).toBe(1);
      if (mode === 'sse') {
        for (const res of responses) {
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader(); // the way the SDK reads SSE
          while (!(await reader.read()).done);
        }
      } else for (const res of await Promise.all(responses)) expect(await res.json()).toMatchObject({ id: 1 });
      await until(() => getEventListeners(transport.signal, 'abort').length === 0);
    },
  );

  it('a per-request AbortSignal.any is let go of as soon as its request is over', async () => {
    const server = await heldServer('json');
    server.release();
    const f = observingFetch(undefined, {}, CAP);
    const transport = new AbortController();
    const combined = AbortSignal.any([transport.signal, new AbortController().signal]);
    const res = await post(f, server.url, combined);
    await res.json();
    // Node keeps a combined signal with an abort listener alive (and walks the transport signal's dependants when it is finally collected).
    expect(getEventListeners(combined, 'abort').length).toBe(0);
  });

  it("aborting the caller's signal stops a request waiting for its answer, with the caller's reason", async () => {
    const server = await heldServer('json');
    const f = observingFetch(undefined, {}, CAP);
    const transport = new AbortController();
    const pending = post(f, server.url, transport.signal);
    await until(() => server.arrived() === 1);
    const reason = new Error('transport closed');
    transport.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(getEventListeners(transport.signal, 'abort').length).toBe(0);
  });

  it("aborting the caller's signal stops a body still arriving", async () => {
    const server = await heldServer('stall-body');
    server.release();
    const f = observingFetch(undefined, {}, CAP);
    const request = new AbortController();
    const res = await post(f, server.url, AbortSignal.any([new AbortController().signal, request.signal]));
    const text = res.text();
    request.abort();
    await expect(text).rejects.toThrow(/abort/i);
  });

  it("aborting the caller's signal stops an SSE stream being read", async () => {
    const server = await heldServer('stall-body');
    server.release();
    const f = observingFetch(undefined, {}, CAP);
    const transport = new AbortController();
    // stall-body never ends; read it as a stream.
    const res = await post(f, server.url, transport.signal);
    const reader = res.body!.getReader();
    await reader.read();
    const next = reader.read();
    transport.abort();
    await expect(next).rejects.toThrow(/abort/i);
    expect(getEventListeners(transport.signal, 'abort').length).toBe(0);
  });

  it("aborting the caller's signal stops an SSE stream read through pipeThrough (the SDK's way)", async () => {
    const server = await heldServer('stall-body');
    server.release();
    const f = observingFetch(undefined, {}, CAP);
    const transport = new AbortController();
    const res = await post(f, server.url, transport.signal);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read();
    const next = reader.read();
    transport.abort();
    await expect(next).rejects.toThrow(/abort/i);
    expect(getEventListeners(transport.signal, 'abort').length).toBe(0);
  });

  it('an already aborted signal never sends the request', async () => {
    const server = await heldServer('json');
    const f = observingFetch(undefined, {}, CAP);
    await expect(post(f, server.url, AbortSignal.abort())).rejects.toThrow(/abort/i);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.arrived()).toBe(0);
  });
});
