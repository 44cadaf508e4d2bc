import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { createHeadlessBrowser } from '../../electron/core/auth';
import { startAuthorizationServer } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer } from '../fixtures/auth/protected-mcp-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';

// A remote server under Switchboard's OAuth grant, used through the gateway:
// the downstream client never sees the upstream token, and the upstream never
// sees the downstream client's gateway token.

const track = useCleanup();

describe('gateway in front of a remote server under OAuth', () => {
  it('forwards calls on the grant without either side seeing the other token', async () => {
    const as = track(await startAuthorizationServer({ approval: 'auto', accessTokenTtl: 600 }));
    const rs = track(await startProtectedMcpServer({ issuer: as.issuer, scopesSupported: ['mcp:read'] }));
    const t = track(startTestCore({ browser: createHeadlessBrowser() }));
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Protected', url: rs.url } });
    await t.call('connectServer', { serverId: server.id });
    const { plan } = await t.call('prepareSignIn', { serverId: server.id });
    await t.call('completeSignIn', { planId: plan.planId });
    await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');

    const view = await t.call('setGatewayEnabled', { enabled: true });
    const { token } = await t.call('createGatewayClient', { name: 'Cursor', servers: [{ serverId: server.id, allow: [], deny: [], hideDestructive: false }] });

    // Everything the downstream client receives, byte for byte.
    const received: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      received.push(JSON.stringify([...response.headers]), await response.clone().text());
      return response;
    };
    const client = new Client({ name: 'downstream', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${view.address}/s/${server.id}/mcp`), {
        fetch: recordingFetch,
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    track({ close: () => client.close() });
    expect((await client.callTool({ name: 'echo', arguments: { text: 'via gateway' } })).content).toEqual([{ type: 'text', text: 'via gateway' }]);
    const who = JSON.parse(((await client.callTool({ name: 'whoami', arguments: {} })).content[0] as { text: string }).text) as { sub?: string };
    expect(who.sub).toBeTruthy();

    const upstreamTokens = rs.authorizationHeaders.filter((h): h is string => Boolean(h)).map((h) => h.replace(/^Bearer /, ''));
    expect(upstreamTokens.length).toBeGreaterThan(0);
    const seen = received.join('\n');
    for (const upstream of new Set(upstreamTokens)) expect(seen).not.toContain(upstream);
    expect(upstreamTokens).not.toContain(token);
  });
});
