import { beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/core';
import { IpcError } from '../../shared/contract/errors';
import { wrapTransport } from '../../electron/core/traffic/recording-transport';
import { connectRemote, type ReconnectedInfo } from '../../electron/core/remote/remote-connection';
import { validateRemoteHeaders, validateRemoteUrl } from '../../electron/core/remote/remote-options';
import {
  newClient,
  refusedPortUrl,
  startEverything,
  startPlainServer,
  startSdkServer,
  startSelfSignedHttps,
  startSilentServer,
  type Running,
  type RunningEverything,
} from '../fixtures/remote/servers';
import { useCleanup } from '../helpers/cleanup';

const track = useCleanup();

async function expectIpcError(p: Promise<unknown>): Promise<IpcError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(IpcError);
    return error as IpcError;
  }
  throw new Error('expected a rejection');
}

function textOf(result: unknown): string {
  const parsed = CallToolResultSchema.parse(result);
  const first = parsed.content[0];
  return first && first.type === 'text' ? first.text : '';
}

describe('connectRemote against server-everything (Streamable HTTP)', () => {
  let server: RunningEverything;
  beforeAll(async () => {
    server = await startEverything('streamableHttp');
    return () => server.close();
  });

  it('connects, lists tools and calls echo; records traffic', async () => {
    const client = newClient();
    const seen: { dir: string; method?: string }[] = [];
    const session = await connectRemote({
      url: server.url,
      mode: 'auto',
      headers: { 'X-Test': 'not-secret' },
      client,
      timeoutMs: 10_000,
      wrapTransport: (t) =>
        wrapTransport(t, (dir, msg) => void seen.push({ dir, method: typeof msg === 'object' && 'method' in msg ? msg.method : undefined })),
    });
    track(session);
    expect(session.transportKind).toBe('streamable-http');
    expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.protocolVersion).toBe('2025-11-25');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    expect(textOf(result)).toContain('hello');
    expect(seen).toContainEqual({ dir: 'out', method: 'initialize' });
    expect(seen).toContainEqual({ dir: 'out', method: 'tools/call' });
    expect(seen.some((m) => m.dir === 'in')).toBe(true);
  });

  it('close() terminates the session at the server (DELETE)', async () => {
    const session = await connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 10_000 });
    const sid = session.sessionId!;
    await session.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.stdout()).toContain(`Received session termination request for session ${sid}`);
  });

  it("mode 'streamable-http' connects directly", async () => {
    const client = newClient();
    const session = await connectRemote({ url: server.url, mode: 'streamable-http', headers: {}, client, timeoutMs: 10_000 });
    expect(session.transportKind).toBe('streamable-http');
    await session.close();
  });
});

describe('connectRemote against server-everything (legacy SSE)', () => {
  let server: Running;
  beforeAll(async () => {
    server = await startEverything('sse');
    return () => server.close();
  });

  it("'auto' falls back to SSE when the initialize POST gets 404, and works", async () => {
    const client = newClient();
    const session = await connectRemote({ url: server.url, mode: 'auto', headers: {}, client, timeoutMs: 10_000 });
    track(session);
    expect(session.transportKind).toBe('sse');
    expect(session.sessionId).toBeUndefined();
    const result = await client.callTool({ name: 'echo', arguments: { message: 'over sse' } });
    expect(textOf(result)).toContain('over sse');
  });

  it("'sse' connects directly; 'streamable-http' does not fall back", async () => {
    const session = await connectRemote({ url: server.url, mode: 'sse', headers: {}, client: newClient(), timeoutMs: 10_000 });
    expect(session.transportKind).toBe('sse');
    await session.close();
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'streamable-http', headers: {}, client: newClient(), timeoutMs: 10_000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toContain('404');
  });
});

describe('no fallback on other failures', () => {
  it('HTTP 500 on initialize: no SSE attempt', async () => {
    const server = await startPlainServer(500, 'application/json', '{"error":"boom"}');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/HTTP 500/);
    expect(server.hits.map((h) => h.method)).toEqual(['POST']);
  });

  it('connection refused: classified, no fallback', async () => {
    const url = await refusedPortUrl();
    const err = await expectIpcError(connectRemote({ url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/refused/);
    expect(err.details).toEqual({ cause: 'ECONNREFUSED' });
  });

  it('404 for both transports: "wrong URL"', async () => {
    const server = await startPlainServer(404, 'text/plain', 'nope');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/No MCP endpoint .*HTTP 404 for both Streamable HTTP and SSE/);
    expect(server.hits.map((h) => h.method)).toEqual(['POST', 'GET']);
  });
});

describe('fallback statuses', () => {
  it('405 on the initialize POST falls back to SSE (GET is tried)', async () => {
    const server = await startPlainServer(405, 'text/plain', 'Method Not Allowed');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(server.hits.map((h) => h.method)).toEqual(['POST', 'GET']);
    expect(err.code).toBe('CONNECTION_FAILED');
  });
});

describe('sessions against an SDK server', () => {
  it('close() sends DELETE with the session id', async () => {
    const server = await startSdkServer();
    track(server);
    const session = await connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 10_000 });
    const sid = session.sessionId;
    expect(sid).toBeTruthy();
    expect(server.sessionCount()).toBe(1);
    await session.close();
    const del = server.requests.filter((r) => r.method === 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0]!.sessionId).toBe(sid);
    expect(del[0]!.protocolVersion).toBe('2025-11-25');
    expect(del[0]!.status).toBe(200);
    expect(server.sessionCount()).toBe(0);
  });

  it('a 404 on the standalone GET stream re-initializes in the background', async () => {
    const server = await startSdkServer();
    track(server);
    const client = newClient();
    const reconnected = new Promise<ReconnectedInfo>((resolve) => {
      void connectRemote({
        url: server.url,
        mode: 'auto',
        headers: {},
        client,
        timeoutMs: 5000,
        reconnectionOptions: { initialReconnectionDelay: 50, maxReconnectionDelay: 200 },
        onReconnected: resolve,
      }).then(async (session) => {
        // Wait for the GET stream to be open, then make the server forget us; its GET stream ends and the reconnect gets 404.
        await server.waitForGetStream();
        await server.forgetSessions();
        sessions.push(session);
      });
    });
    const sessions: { close(): Promise<void> }[] = [];
    const info = await reconnected;
    expect(info.sessionId).toBeTruthy();
    expect(server.requests.some((r) => r.method === 'GET' && r.status === 404)).toBe(true);
    expect(server.requests.filter((r) => r.rpcMethod === 'initialize')).toHaveLength(2);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'after' } }))).toBe('Echo: after');
    expect(server.requests.filter((r) => r.status === 404 && r.method === 'POST')).toHaveLength(0);
    await Promise.all(sessions.map((x) => x.close()));
  });

  it('a request racing a background re-initialize still succeeds (one new session)', async () => {
    const server = await startSdkServer();
    track(server);
    const client = newClient();
    const reconnected: ReconnectedInfo[] = [];
    const session = await connectRemote({ url: server.url, mode: 'auto', headers: {}, client, timeoutMs: 5000, onReconnected: (i) => reconnected.push(i) });
    await server.forgetSessions(); // before the GET stream is up: its 404 and the call's race
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'race' } }))).toBe('Echo: race');
    expect(reconnected).toHaveLength(1);
    expect(server.requests.filter((r) => r.rpcMethod === 'initialize')).toHaveLength(2);
    await session.close();
  });

  it('if the new session cannot be started, the call fails and the client sees the connection close', async () => {
    const server = await startSdkServer();
    track(server);
    const client = newClient();
    let closed = false;
    client.onclose = () => (closed = true);
    const session = await connectRemote({ url: server.url, mode: 'auto', headers: {}, client, timeoutMs: 5000 });
    await server.waitForGetStream();
    await server.forgetSessions();
    server.refuseInitialize();
    await expect(client.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toMatchObject({ status: 503 });
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
    // Exactly one retry path: the tools/call that got 404, one initialize that got 503, nothing else.
    const after = server.requests.filter((r) => r.method === 'POST').slice(2);
    expect(after.map((r) => [r.rpcMethod, r.status])).toEqual([
      ['tools/call', 404],
      ['initialize', 503],
    ]);
    await session.close();
  });

  it('a 404 to a request with the session id starts a new session and the call succeeds', async () => {
    const server = await startSdkServer();
    track(server);
    const client = newClient();
    const reconnected: ReconnectedInfo[] = [];
    const session = await connectRemote({
      url: server.url,
      mode: 'auto',
      headers: {},
      client,
      timeoutMs: 10_000,
      onReconnected: (info) => reconnected.push(info),
    });
    const first = session.sessionId;
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'one' } }))).toBe('Echo: one');
    await server.waitForGetStream();
    await server.forgetSessions();
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'two' } }))).toBe('Echo: two');
    expect(reconnected).toHaveLength(1);
    expect(reconnected[0]!.sessionId).toBeTruthy();
    expect(reconnected[0]!.sessionId).not.toBe(first);
    expect(reconnected[0]!.serverInfo?.name).toBe('sdk-test-server');
    expect(session.sessionId).toBe(reconnected[0]!.sessionId);
    // The failed call carried the old id and got 404; then a fresh initialize without any session id.
    const posts = server.requests.filter((r) => r.method === 'POST');
    const failed = posts.find((r) => r.status === 404);
    expect(failed).toMatchObject({ sessionId: first, rpcMethod: 'tools/call' });
    const inits = posts.filter((r) => r.rpcMethod === 'initialize');
    expect(inits).toHaveLength(2);
    expect(inits[1]!.sessionId).toBeUndefined();
    const retried = posts.filter((r) => r.rpcMethod === 'tools/call' && r.status === 200).at(-1);
    expect(retried?.sessionId).toBe(session.sessionId);
    // Still usable afterwards.
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await session.close();
    expect(server.requests.filter((r) => r.method === 'DELETE').at(-1)?.sessionId).toBe(reconnected[0]!.sessionId);
  });
});

describe('error classification', () => {
  it('an HTML page is "not an MCP server"', async () => {
    const server = await startPlainServer(200, 'text/html; charset=utf-8', '<!doctype html><html><body>Welcome</body></html>');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.message).toMatch(/not an MCP server.*HTML page/);
  });

  it('JSON that is not JSON-RPC is "not an MCP server"', async () => {
    const server = await startPlainServer(200, 'application/json', '{"hello":"world"}');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.message).toMatch(/not an MCP server/);
  });

  it('a self-signed certificate names the cause and NODE_EXTRA_CA_CERTS', async () => {
    const server = await startSelfSignedHttps();
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/self-signed/);
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(err.details).toEqual({ cause: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  }, 30_000);

  it('401 without an auth fetch is AUTH_REQUIRED with the challenge (no fallback)', async () => {
    const challenge = 'Bearer resource_metadata="http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp"';
    const server = await startPlainServer(401, 'application/json', '{}', { 'www-authenticate': challenge });
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('AUTH_REQUIRED');
    expect(err.details).toEqual({ challenge });
    expect(server.hits.map((h) => h.method)).toEqual(['POST']);
    const sse = await expectIpcError(connectRemote({ url: server.url, mode: 'sse', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(sse.code).toBe('AUTH_REQUIRED');
    expect(sse.details).toEqual({ challenge });
  });

  it('an AuthRequiredError thrown by the auth fetch passes through unchanged', async () => {
    const { AuthRequiredError } = await import('../../electron/core/auth/errors');
    const thrown = new AuthRequiredError('srv1', 'Sign in to srv1', 'Bearer scope="a"');
    const authFetch = (async () => {
      throw thrown;
    }) as unknown as typeof fetch;
    const server = await startPlainServer(200, 'application/json', '{}');
    track(server);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, fetch: authFetch, client: newClient(), timeoutMs: 5000 }));
    expect(err).toBe(thrown);
    // Also through the legacy SSE transport, whose EventSource hides fetch errors.
    expect(await expectIpcError(connectRemote({ url: server.url, mode: 'sse', headers: {}, fetch: authFetch, client: newClient(), timeoutMs: 5000 }))).toBe(
      thrown,
    );
  });

  it('a cross-origin redirect is not followed and is explained', async () => {
    const target = await startPlainServer(200, 'application/json', '{}');
    const server = await startPlainServer(307, 'text/plain', '', { location: `${target.url}?token=SECRET` });
    track(server);
    track(target);
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/redirects to another site \(HTTP 307\)/);
    expect(err.message).toContain(target.url);
    expect(err.message).not.toContain('SECRET');
    expect(target.hits).toHaveLength(0);
  });

  it('an oversized JSON response is refused, not buffered', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 0, result: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const server = await startPlainServer(200, 'application/json', big);
    track(server);
    const err = await expectIpcError(
      connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000, maxResponseBytes: 1024 * 1024 }),
    );
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.message).toMatch(/larger than 1 MiB/);
  });

  it('a server that never answers gives TIMEOUT within the budget', async () => {
    const server = await startSilentServer();
    track(server);
    const started = Date.now();
    const err = await expectIpcError(connectRemote({ url: server.url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 800 }));
    expect(err.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a port fetch blocks (bad port list) is explained', async () => {
    const err = await expectIpcError(connectRemote({ url: 'http://127.0.0.1:6000/mcp', mode: 'auto', headers: {}, client: newClient(), timeoutMs: 5000 }));
    expect(err.code).toBe('CONNECTION_FAILED');
    expect(err.message).toMatch(/Port 6000 is on the list of ports that fetch refuses/);
  });

  it('errors never contain header values or URL secrets', async () => {
    const url = await refusedPortUrl();
    const err = await expectIpcError(
      connectRemote({
        url: `${url}?api_key=SECRET-QUERY`,
        mode: 'auto',
        headers: { Authorization: 'Bearer SECRET-HEADER' },
        client: newClient(),
        timeoutMs: 5000,
      }),
    );
    expect(JSON.stringify(err.toShape())).not.toMatch(/SECRET/);
  });

  it('malformed URLs are refused before any traffic', async () => {
    for (const [url, pattern] of [
      ['not a url', /not a valid URL/],
      ['ftp://example.com/mcp', /Only http:\/\/ and https:\/\//],
      ['javascript:alert(1)', /Only http:\/\/ and https:\/\//],
      ['', /Enter the server URL/],
      ['https://user:pw@example.com/mcp', /credentials/],
      ['http://', /not a valid URL/],
    ] as const) {
      const err = await expectIpcError(connectRemote({ url, mode: 'auto', headers: {}, client: newClient(), timeoutMs: 1000 }));
      expect(err.code).toBe('VALIDATION');
      expect(err.message).toMatch(pattern);
    }
    expect(validateRemoteUrl('https://example.com/mcp#frag').href).toBe('https://example.com/mcp');
    expect(() => validateRemoteHeaders({ 'mcp-session-id': 'x' })).toThrow(/managed by Switchboard/);
    expect(() => validateRemoteHeaders({ 'X-Key': 'a\r\nInjected: 1' })).toThrow(/line breaks/);
    expect(() => validateRemoteHeaders({ 'bad name': 'x' })).toThrow(/not a valid header name/);
  });
});
