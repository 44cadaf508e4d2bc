import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { made, StandIn, type StandInOptions } from '../../test/remote/net-stand-in';

// The Electron binary cannot run here, so net.request is a stand-in that speaks
// real HTTP (test/remote/net-stand-in.ts). A whole MCP session through the core
// over this adapter is in test/remote/net-fetch-core.test.ts.
const ready = { resolve: () => {}, promise: Promise.resolve() };
ready.promise = new Promise<void>((r) => (ready.resolve = r));
const verifier: { proc?: unknown } = {};
vi.mock('electron', () => ({
  app: { whenReady: () => ready.promise },
  net: { request: (options: StandInOptions) => new StandIn(options) },
  session: { defaultSession: { setCertificateVerifyProc: (proc: unknown) => (verifier.proc = proc) } },
}));

const { netFetch } = await import('./net-fetch');

let base = '';
let server: http.Server;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/landed' }).end();
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'set-cookie': ['a=1', 'b=2'] });
        res.write('data: one\n\n');
        setTimeout(() => res.end('data: two\n\n'), 50);
        return;
      }
      if (req.url === '/hang') return; // never answers
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo-method': req.method! }).end(JSON.stringify({ path: req.url, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('net.fetch adapter (the core fetch port in the app)', () => {
  it('waits for the app to be ready before touching net', async () => {
    const before = made.length;
    const pending = netFetch(`${base}/json`);
    await new Promise((r) => setTimeout(r, 20));
    expect(made.length).toBe(before);
    ready.resolve();
    expect((await pending).status).toBe(200);
    // ...and then installs the verifier that honours NODE_EXTRA_CA_CERTS (extra-ca-trust.test.ts).
    expect(verifier.proc).toBeTypeOf('function');
  });

  it('sends method, headers and body, and uses no cookies, no cache and no custom protocol handler', async () => {
    const res = await netFetch(new URL(`${base}/json`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t', 'content-length': '999' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo-method')).toBe('POST');
    expect(await res.json()).toEqual({ path: '/json', body: '{"a":1}' });
    const last = made.at(-1)!;
    expect(last.options).toMatchObject({
      method: 'POST',
      url: `${base}/json`,
      credentials: 'omit',
      useSessionCookies: false,
      cache: 'no-store',
      bypassCustomProtocolHandlers: true,
      redirect: 'follow',
    });
    // Chromium computes these itself.
    expect(Object.keys(last.headers)).not.toContain('content-length');
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer t');
  });

  it('accepts a Request and URLSearchParams bodies (openid-client form posts)', async () => {
    const res = await netFetch(new Request(`${base}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'x', code: 'y' }) }));
    expect(await res.json()).toEqual({ path: '/token', body: 'grant_type=x&code=y' });
    expect(seen.at(-1)!.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
  });

  it("returns the 3xx itself for redirect: 'manual' (Electron's net.fetch would fail with \"Redirect was cancelled\")", async () => {
    const res = await netFetch(`${base}/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/landed');
    expect(seen.at(-1)!.url).toBe('/redirect');
    const followed = await netFetch(`${base}/redirect`);
    expect(await followed.json()).toMatchObject({ path: '/landed' });
  });

  it('streams response bodies (event streams stay open) and keeps repeated headers', async () => {
    const res = await netFetch(`${base}/stream`);
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('data: one\n\n');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: two\n\n');
    expect((await netFetch(`${base}/empty`)).body).toBeNull();
  });

  it('aborts on the signal, and reports network failures like Node fetch does', async () => {
    const controller = new AbortController();
    const pending = netFetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await netFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as Error).message).toBe('net::ERR_CONNECTION_REFUSED');
  });

  it('lets go of a long-lived signal once each exchange is over', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) await (await netFetch(`${base}/json`, { signal: controller.signal })).text();
    await netFetch(`${base}/redirect`, { signal: controller.signal, redirect: 'manual' });
    await new Promise((r) => setTimeout(r, 10));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
