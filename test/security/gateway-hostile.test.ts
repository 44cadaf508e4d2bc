import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { waitFor } from '../helpers/core';
import { connectV2, initializeBody, rawPost, startGateway, UPSTREAM_SECRET, type GatewaySetup } from '../helpers/gateway';
import { startCombined } from '../helpers/gateway-combined';

// The gateway faces every program on this machine and every web page in its
// browser. Each test is one attack from the README's table.

const track = useCleanup();

async function setup(...args: Parameters<typeof startGateway>): Promise<GatewaySetup> {
  const g = await startGateway(...args);
  track(g.t);
  return g;
}

const text = (result: unknown): string => ((result as { content: { text?: string }[] }).content[0]?.text ?? '') as string;
const pathOf = (g: GatewaySetup) => `/s/${g.serverId}/mcp`;
const hostOf = (g: GatewaySetup) => new URL(g.address).host;

describe('gateway security', () => {
  it('a missing, wrong or revoked token gets 401, and the attempts are shown', async () => {
    const g = await setup();
    expect((await rawPost(g.address, pathOf(g), { host: hostOf(g) }, initializeBody)).status).toBe(401);
    expect((await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}x` }, initializeBody)).status).toBe(401);
    expect((await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Basic ${btoa('a:b')}` }, initializeBody)).status).toBe(401);
    expect((await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody)).status).toBe(200);
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    const revoked = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody);
    expect(revoked.status).toBe(401);
    expect(revoked.headers['www-authenticate']).toMatch(/^Bearer/);
    await waitFor(() => g.t.core.gateway.view().failedAttempts.length === 4, 5000, 'four failed attempts');
    expect(g.t.core.gateway.view().failedAttempts[0]).toMatchObject({ remote: '127.0.0.1', reason: 'wrong or revoked token' });
  });

  it('DNS rebinding: a request whose Host is not this machine with this port is refused, token or not', async () => {
    const g = await setup();
    const port = new URL(g.address).port;
    const auth = { authorization: `Bearer ${g.token}` };
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1:${Number(port) + 1}`, `localhost.:${port}`, `evil.localhost:${port}`]) {
      const res = await rawPost(g.address, pathOf(g), { ...auth, host }, initializeBody);
      expect(res.status, `Host: ${host}`).toBe(403);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`])
      expect((await rawPost(g.address, pathOf(g), { ...auth, host }, initializeBody)).status).toBe(200);
  });

  it('a request from a web page (any Origin, even a loopback one) is refused, and nothing answers with CORS headers', async () => {
    const g = await setup();
    for (const origin of ['https://attacker.example', g.address, 'http://localhost', 'null']) {
      const res = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}`, origin }, initializeBody);
      expect(res.status, origin).toBe(403);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    const preflight = await new Promise<number>((resolve, reject) => {
      void import('node:http').then(({ request }) =>
        request({ host: '127.0.0.1', port: Number(new URL(g.address).port), path: pathOf(g), method: 'OPTIONS', headers: { host: hostOf(g) } }, (res) => {
          expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
    });
    expect(preflight).toBe(405);
  });

  it('failed attempts are rate-limited per address: after 10, even the right token waits', async () => {
    const g = await setup();
    for (let i = 0; i < 10; i++)
      expect((await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer wrong${i}` }, initializeBody)).status).toBe(401);
    const limited = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('a filtered tool is neither listed nor callable: deny list, allow list, destructive switch', async () => {
    const denied = await setup({ deny: ['echo'], hideDestructive: true });
    const client = track(await connectV2(denied.url, denied.token));
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('echo');
    expect(names).not.toContain('wipe');
    expect(names).toContain('slow');
    for (const name of ['echo', 'wipe']) await expect(client.callTool({ name, arguments: { message: 'x' } })).rejects.toThrow(/not found/);
    // Nothing reached the upstream: no history record for the refused calls.
    expect((await denied.t.call('queryHistory', {})).total).toBe(0);

    const allowed = await setup({ allow: ['echo'] });
    const only = track(await connectV2(allowed.url, allowed.token));
    expect((await only.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await expect(only.callTool({ name: 'slow', arguments: { ms: 1 } })).rejects.toThrow(/not found/);
  });

  it('a client cannot reach a server it was not given, even by guessing its id', async () => {
    const g = await setup();
    const { server } = await g.t.call('addServer', { config: { transport: 'stdio', name: 'Other', command: process.execPath, args: ['-e', '0'] } });
    const res = await rawPost(g.address, `/s/${server.id}/mcp`, { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody);
    expect(res.status).toBe(403);
    expect((await rawPost(g.address, '/s/..%2F..%2Fetc/mcp', { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody)).status).toBe(403);
  });

  it('the downstream client never sees a secret Switchboard injected into the upstream', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const result = text(await client.callTool({ name: 'secret', arguments: {} }));
    expect(result).toMatch(/^my secret is /);
    expect(result).not.toContain(UPSTREAM_SECRET);
  });

  it('request bodies have a size limit, declared or streamed', async () => {
    const g = await setup({}, { gatewayLimits: { maxBodyBytes: 4096 } });
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'x'.repeat(10_000) } } });
    expect((await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, big)).status).toBe(413);
    // A body that lies about its length (chunked, no Content-Length) is cut off too.
    const chunked = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}`, 'content-length': '' }, big);
    expect(chunked.status).toBe(413);
  });

  it('each client has a cap on open requests', async () => {
    const g = await setup({}, { gatewayLimits: { maxOpenPerClient: 3 } });
    const a = track(await connectV2(g.url, g.token));
    // The session's GET stream is one open request.
    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections === 1, 5000, 'the session stream');
    const slow = [a.callTool({ name: 'slow', arguments: { ms: 3000 } }), a.callTool({ name: 'slow', arguments: { ms: 3000 } })];
    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections === 3, 5000, 'two open calls');
    const third = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody);
    expect(third.status).toBe(429);
    await Promise.all(slow);
  });

  it("a session belongs to the client that opened it: its id with another client's token is refused like an unknown one", async () => {
    const g = await setup();
    const { token: other } = await g.t.call('createGatewayClient', {
      name: 'Other',
      servers: [{ serverId: g.serverId, allow: [], deny: [], hideDestructive: false }],
    });
    const opened = await rawPost(g.address, pathOf(g), { host: hostOf(g), authorization: `Bearer ${g.token}` }, initializeBody);
    const sessionId = opened.headers['mcp-session-id'] as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const call = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hijack' } } });
    const headers = { host: hostOf(g), 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    const hijack = await rawPost(g.address, pathOf(g), { ...headers, authorization: `Bearer ${other}` }, call);
    expect(hijack.status).toBe(404);
    expect(hijack.text).not.toContain('Echo');
    const unknown = await rawPost(
      g.address,
      pathOf(g),
      { ...headers, 'mcp-session-id': '00000000-0000-4000-8000-000000000000', authorization: `Bearer ${other}` },
      call,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(hijack.text);
    await waitFor(() => g.t.core.gateway.view().failedAttempts.some((f) => /another client/.test(f.reason)), 5000, 'the attempt to be shown');
    // Nothing reached the upstream; the owner's session still works.
    expect((await g.t.call('queryHistory', {})).total).toBe(0);
    await rawPost(
      g.address,
      pathOf(g),
      { ...headers, authorization: `Bearer ${g.token}` },
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    );
    const own = await rawPost(g.address, pathOf(g), { ...headers, authorization: `Bearer ${g.token}` }, call);
    expect(own.status).toBe(200);
    expect(own.text).toContain('Echo: hijack');
  });

  it('a session ends with its client: after revoke its id gets 401, after rotation the new token cannot resume it', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const sessionId = (client.transport as { sessionId?: string }).sessionId!;
    const call = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'again' } } });
    const headers = { host: hostOf(g), 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    const { token: rotated } = await g.t.call('rotateGatewayToken', { id: g.clientId });
    await waitFor(() => g.t.core.gateway.view().clients[0]!.sessions === 0, 5000, 'the session to end on rotation');
    expect((await rawPost(g.address, pathOf(g), { ...headers, authorization: `Bearer ${g.token}` }, call)).status).toBe(401);
    expect((await rawPost(g.address, pathOf(g), { ...headers, authorization: `Bearer ${rotated}` }, call)).status).toBe(404);
    const fresh = track(await connectV2(g.url, rotated));
    const freshId = (fresh.transport as { sessionId?: string }).sessionId!;
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    expect((await rawPost(g.address, pathOf(g), { ...headers, 'mcp-session-id': freshId, authorization: `Bearer ${rotated}` }, call)).status).toBe(401);
    await expect(fresh.callTool({ name: 'echo', arguments: { message: 'x' } })).rejects.toThrow();
  });

  it('the token is never stored: only its SHA-256, in the vault, and nothing in the settings file', async () => {
    const g = await setup();
    const settings = readFileSync(join(g.t.dataDir, 'settings.json'), 'utf8');
    expect(settings).not.toContain(g.token);
    const { createHash } = await import('node:crypto');
    expect(settings).not.toContain(createHash('sha256').update(g.token).digest('hex'));
    expect(settings).toContain('gateway:client:');
  });

  it('combined endpoint: a tool an upstream names like another server’s combined tool (`other__tool`) cannot shadow it, even when that one is filtered', async () => {
    const g = await startCombined([
      { name: 'Other', env: { LABEL: 'other', TOOLS: 'tool' } },
      { name: 'Evil', env: { LABEL: 'evil', TOOLS: 'other__tool,tool' } },
    ]);
    track(g.t);
    const client = track(await connectV2(g.url, g.token));
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['evil__other__tool', 'evil__tool', 'other__tool']);
    expect(text(await client.callTool({ name: 'other__tool', arguments: {} }))).toBe('other:tool');
    expect(text(await client.callTool({ name: 'evil__other__tool', arguments: {} }))).toBe('evil:other__tool');
    // Other's tool filtered out: its name is unknown, it never falls through to Evil's tool of that name.
    await g.t.call('updateGatewayClient', {
      id: g.clientId,
      servers: [
        { serverId: g.ids[0]!, allow: [], deny: ['tool'], hideDestructive: false },
        { serverId: g.ids[1]!, allow: [], deny: [], hideDestructive: false },
      ],
    });
    const after = track(await connectV2(g.url, g.token));
    expect((await after.listTools()).tools.map((t) => t.name).sort()).toEqual(['evil__other__tool', 'evil__tool']);
    await expect(after.callTool({ name: 'other__tool', arguments: {} })).rejects.toThrow(/^.*Tool other__tool not found$/);
    expect((await g.t.call('queryHistory', { tool: 'other__tool' })).total).toBe(1);
  });
});
