import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEntry } from './entry';
import { recordingFetch } from './recording-fetch';
import { TrafficRecorder } from './traffic-recorder';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url?.startsWith('/.well-known/oauth-authorization-server')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: base, token_endpoint: `${base}/token` }));
      } else if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=COOKIE1' }).end(JSON.stringify({ access_token: 'AT-SECRET', refresh_token: 'RT-SECRET', token_type: 'Bearer', echo: body.length }));
      } else if (req.url === '/mcp') {
        // An event stream that stays open: the recorder must not wait for it.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
      } else {
        res.writeHead(404).end('nope');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const nextEntry = (recorder: TrafficRecorder): Promise<HttpEntry> =>
  new Promise((resolve) => {
    const off = recorder.onEntry((e) => {
      if (e.kind === 'http') {
        off();
        resolve(e);
      }
    });
  });

describe('recordingFetch', () => {
  it('records OAuth exchanges with phases, redacted headers and bodies, and leaves the response readable', async () => {
    const recorder = new TrafficRecorder();
    const f = recordingFetch(fetch, (x) => recorder.recordHttp('remote', x), { mcpUrl: `${base}/mcp` });

    const discovered = nextEntry(recorder);
    const meta = await (await f(`${base}/.well-known/oauth-authorization-server`)).json();
    expect(meta.token_endpoint).toBe(`${base}/token`);
    expect(await discovered).toMatchObject({ phase: 'discovery', method: 'GET', status: 200 });

    const tokenEntry = nextEntry(recorder);
    const res = await f(new URL(`${base}/token`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic Y2xpZW50OnNlY3JldA==' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'CODE-SECRET', code_verifier: 'VERIFIER-SECRET', client_id: 'app' }),
    });
    expect((await res.json()).access_token).toBe('AT-SECRET'); // the caller still sees the real body
    const entry = await tokenEntry;
    expect(entry).toMatchObject({ phase: 'token', method: 'POST', status: 200 });
    expect(entry.responseBody).toContain('"token_type":"Bearer"');
    expect(entry.requestBody).toContain('client_id=app');
    const text = JSON.stringify(entry);
    for (const secret of ['AT-SECRET', 'RT-SECRET', 'COOKIE1', 'CODE-SECRET', 'VERIFIER-SECRET', 'Y2xpZW50OnNlY3JldA']) expect(text, secret).not.toContain(secret);
  });

  it('does not wait for event streams and skips MCP bodies by default', async () => {
    const recorder = new TrafficRecorder();
    const f = recordingFetch(fetch, (x) => recorder.recordHttp('remote', x), { mcpUrl: `${base}/mcp` });
    const recorded = nextEntry(recorder);
    const controller = new AbortController();
    const res = await f(`${base}/mcp`, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"ping"}', signal: controller.signal, headers: { accept: 'text/event-stream' } });
    const entry = await recorded;
    expect(entry).toMatchObject({ phase: 'mcp', status: 200 });
    expect(entry.requestBody).toBeUndefined();
    expect(entry.responseBody).toBeUndefined();
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    controller.abort();
  });

  it('records network failures with status 0 and rethrows', async () => {
    const recorder = new TrafficRecorder();
    const failing = recordingFetch(async () => {
      throw new TypeError('fetch failed');
    }, (x) => recorder.recordHttp('remote', x));
    await expect(failing('https://as.example/token?client_secret=S1')).rejects.toThrow('fetch failed');
    const [entry] = recorder.list('remote') as HttpEntry[];
    expect(entry).toMatchObject({ status: 0, error: 'fetch failed', phase: 'token' });
    expect(entry!.url).not.toContain('S1');
  });
});
