import { ProxyAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createHeadlessBrowser } from '../../electron/core/auth';
import type { FetchPort } from '../../electron/core/ports';
import { startAuthorizationServer } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer } from '../fixtures/auth/protected-mcp-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';
import { startForwardProxy } from '../fixtures/remote/forward-proxy';
import { startSdkServer } from '../fixtures/remote/servers';

// Behind a corporate proxy every request must go through it. The app gives the
// core Chromium's net stack (system proxy, PAC); here the core gets a fetch port
// that routes through a real forward proxy on 127.0.0.1, and the test checks
// that MCP and OAuth traffic really passed through it, and that the traffic
// view still records it (recording wraps the port's fetch).

const track = useCleanup();

/** Node's fetch through an HTTP forward proxy (absolute-URI requests for http targets). */
function proxiedFetch(proxyUrl: string): FetchPort {
  const agent = new ProxyAgent({ uri: proxyUrl, proxyTunnel: false });
  track({ close: () => agent.close() });
  return (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit);
}

const viaProxy = (seen: { method: string; target: string }[], origin: string) =>
  seen.filter((r) => r.target.startsWith(origin)).map((r) => `${r.method} ${r.target.slice(origin.length)}`);

describe('remote servers behind a forward proxy', () => {
  it('sends every MCP request of a remote server through the fetch port, and nothing without it', async () => {
    const proxy = track(await startForwardProxy());
    const mcp = track(await startSdkServer());
    const origin = new URL(mcp.url).origin;

    const t = track(startTestCore({ fetch: proxiedFetch(proxy.url) }));
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Behind proxy', url: mcp.url } });
    const connected = await t.call('connectServer', { serverId: server.id });
    expect(connected.server.status.state).toBe('connected');
    const echo = await t.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'hi' }, callId: 'p1' });
    expect(echo.status).toBe('ok');

    const through = viaProxy(proxy.seen, origin);
    // initialize, initialized, tools/list, tools/call: all POSTs to the MCP endpoint, in absolute-URI form.
    expect(through.filter((r) => r === 'POST /mcp').length).toBeGreaterThanOrEqual(4);
    expect(mcp.requests.filter((r) => r.method === 'POST').length).toBe(through.filter((r) => r === 'POST /mcp').length);
    // The traffic view still sees the exchanges: recording wraps the port's fetch.
    const { entries } = await t.call('listTraffic', { serverId: server.id });
    expect(entries.some((e) => e.kind === 'http' && e.phase === 'mcp')).toBe(true);
    await t.call('disconnectServer', { serverId: server.id });

    // Same server, a core without the port: Node's own fetch, straight to the server.
    const before = proxy.seen.length;
    const direct = track(startTestCore());
    const { server: s2 } = await direct.call('addServer', { config: { transport: 'http', name: 'Direct', url: mcp.url } });
    expect((await direct.call('connectServer', { serverId: s2.id })).server.status.state).toBe('connected');
    expect(proxy.seen.length).toBe(before);
  });

  it('sends discovery, registration, token and MCP requests of a protected server through the proxy', async () => {
    const proxy = track(await startForwardProxy());
    const as = track(await startAuthorizationServer({ approval: 'auto', accessTokenTtl: 600 }));
    const rs = track(await startProtectedMcpServer({ issuer: as.issuer, scopesSupported: ['mcp:read'] }));
    const t = track(startTestCore({ browser: createHeadlessBrowser(), fetch: proxiedFetch(proxy.url) }));
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Protected', url: rs.url } });

    expect((await t.call('connectServer', { serverId: server.id })).server.status).toMatchObject({ authRequired: true });
    const { plan } = await t.call('prepareSignIn', { serverId: server.id });
    await t.call('completeSignIn', { planId: plan.planId });
    await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');

    const mcpSide = viaProxy(proxy.seen, new URL(rs.url).origin);
    expect(mcpSide).toContain('POST /mcp');
    expect(mcpSide.some((r) => r.startsWith('GET /.well-known/oauth-protected-resource'))).toBe(true);
    const asSide = viaProxy(proxy.seen, as.issuer);
    expect(asSide.some((r) => r.startsWith('GET /.well-known/'))).toBe(true); // AS metadata
    expect(asSide.some((r) => r.startsWith('POST ') && /reg/.test(r))).toBe(true); // dynamic registration
    expect(asSide.some((r) => r.startsWith('POST ') && /token/.test(r))).toBe(true); // code exchange
  });
});
