import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema as ToolsChangedV1 } from '@modelcontextprotocol/sdk/types.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { waitFor } from '../helpers/core';
import { connectV2, initializeBody, rawPost, startGateway, type GatewaySetup, text } from '../helpers/gateway';

// 2025-era clients get sessions: one proxy per session, reused across its
// requests, with the upstream's notifications forwarded on its GET stream.

const track = useCleanup();

async function setup(...args: Parameters<typeof startGateway>): Promise<GatewaySetup> {
  const g = await startGateway(...args);
  track(g.t);
  return g;
}

const sessionOf = (client: { transport?: unknown }) => (client.transport as StreamableHTTPClientTransport).sessionId;
const hostOf = (g: GatewaySetup) => new URL(g.address).host;

async function connectV1(g: GatewaySetup, token = g.token): Promise<ClientV1> {
  const client = new ClientV1({ name: 'gateway-test-v1', version: '1.0.0' });
  await client.connect(new TransportV1(g.url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  track({ close: () => client.close() });
  return client;
}

describe('gateway sessions (2025-era clients)', () => {
  it('an SDK v2 and an SDK v1 client each get one session, reused across their requests, and it ends when they close', async () => {
    const g = await setup();
    const v2 = track(await connectV2(g.url, g.token));
    expect(sessionOf(v2)).toMatch(/^[0-9a-f-]{36}$/);
    const v1 = await connectV1(g);
    expect((v1.transport as TransportV1).sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (let i = 0; i < 3; i++) {
      expect(text(await v2.callTool({ name: 'echo', arguments: { message: `v2 ${i}` } }))).toBe(`Echo: v2 ${i}`);
      expect(text(await v1.callTool({ name: 'echo', arguments: { message: `v1 ${i}` } }))).toBe(`Echo: v1 ${i}`);
    }
    expect(g.t.core.gateway.view().clients[0]!.sessions).toBe(2);
    // A 2026-07-28 client stays sessionless.
    const modern = track(await connectV2(g.url, g.token, 'auto'));
    await modern.callTool({ name: 'echo', arguments: { message: 'modern' } });
    expect(g.t.core.gateway.view().clients[0]!.sessions).toBe(2);
    // DELETE on close ends the session.
    await (v2.transport as StreamableHTTPClientTransport).terminateSession();
    await waitFor(() => g.t.core.gateway.view().clients[0]!.sessions === 1, 5000, 'the session to end');
  });

  it('forwards tools/list_changed to a session only when the tools that client sees change', async () => {
    const g = await setup();
    // A second client that never sees "late" (deny list).
    const { token: blindToken } = await g.t.call('createGatewayClient', {
      name: 'Blind',
      servers: [{ serverId: g.serverId, allow: [], deny: ['late'], hideDestructive: false }],
    });
    const seeing = track(await connectV2(g.url, g.token));
    const blind = track(await connectV2(g.url, blindToken));
    const v1 = await connectV1(g);
    let seeingChanged = 0;
    let blindChanged = 0;
    let v1Changed = 0;
    seeing.setNotificationHandler('notifications/tools/list_changed', () => void seeingChanged++);
    blind.setNotificationHandler('notifications/tools/list_changed', () => void blindChanged++);
    v1.setNotificationHandler(ToolsChangedV1, () => void v1Changed++);
    await waitFor(() => g.t.core.gateway.view().clients.every((c) => c.connections >= 1), 5000, 'the GET streams');
    await seeing.callTool({ name: 'add_late_tool', arguments: {} });
    await g.t.waitForEvent('toolDiffChanged', (p) => p.serverId === g.serverId && Boolean(p.diff?.changes.some((c) => c.name === 'late')));
    // Not acknowledged yet: nobody sees "late", nobody is told.
    await new Promise((r) => setTimeout(r, 300));
    expect([seeingChanged, blindChanged, v1Changed]).toEqual([0, 0, 0]);
    await g.t.call('acknowledgeToolChanges', { serverId: g.serverId });
    await waitFor(() => seeingChanged === 1 && v1Changed === 1, 5000, 'list_changed on the sessions that see the tool');
    await new Promise((r) => setTimeout(r, 300));
    expect(blindChanged).toBe(0);
    expect((await seeing.listTools()).tools.map((t) => t.name)).toContain('late');
    expect((await blind.listTools()).tools.map((t) => t.name)).not.toContain('late');
  });

  it('forwards log messages at the level the session set, and resource updates it subscribed to', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const other = track(await connectV2(g.url, g.token));
    const logs: unknown[] = [];
    const otherLogs: unknown[] = [];
    const updates: string[] = [];
    const otherUpdates: string[] = [];
    client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params.data));
    other.setNotificationHandler('notifications/message', (n) => void otherLogs.push(n.params.data));
    client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
    other.setNotificationHandler('notifications/resources/updated', (n) => void otherUpdates.push(n.params.uri));
    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections >= 2, 5000, 'the GET streams');
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'log', arguments: { level: 'info', text: 'quiet' } });
    await client.callTool({ name: 'log', arguments: { level: 'error', text: 'loud' } });
    await waitFor(() => logs.includes('loud') && otherLogs.includes('loud'), 5000, 'the log message');
    expect(logs).toEqual(['loud']);
    expect(otherLogs).toEqual(['quiet', 'loud']);

    await client.subscribeResource({ uri: 'test://readme' });
    expect(text(await client.callTool({ name: 'touch', arguments: {} }))).toBe('touched');
    await waitFor(() => updates.length === 1, 5000, 'the resource update');
    expect(updates).toEqual(['test://readme']);
    expect(otherUpdates).toEqual([]);
    await client.unsubscribeResource({ uri: 'test://readme' });
    await client.callTool({ name: 'touch', arguments: {} });
    await new Promise((r) => setTimeout(r, 300));
    expect(updates).toHaveLength(1);
  });

  it('a 2026-07-28 client subscribes to a resource with a listen stream and hears its updates; a stream asking for too many URIs is refused', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token, 'auto'));
    expect(client.getNegotiatedProtocolVersion?.()).toBe('2026-07-28');
    expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
    const subscription = await client.listen({ resourceSubscriptions: ['test://readme'] });
    // The managed connection subscribed upstream before the stream opened.
    expect(text(await client.callTool({ name: 'touch', arguments: {} }))).toBe('touched');
    await waitFor(() => updates.length === 1, 5000, 'the resource update');
    expect(updates).toEqual(['test://readme']);
    await subscription.close();
    // Several URIs in one stream: each is subscribed upstream (one at a time: at once, all but one were lost).
    const many = await client.listen({ resourceSubscriptions: ['test://a1', 'test://a2', 'test://a3', 'test://a4'] });
    const { uris } = await g.t.call('listSubscriptions', { serverId: g.serverId });
    expect([...uris].sort()).toEqual(['test://a1', 'test://a2', 'test://a3', 'test://a4', 'test://readme']);
    await many.close();
    await expect(client.listen({ resourceSubscriptions: Array.from({ length: 101 }, (_, i) => `test://r${i}`) })).rejects.toThrow(/At most 100/);
  });

  it('each client has a cap on open sessions, and idle sessions end', async () => {
    const g = await setup({}, { gatewayLimits: { maxSessionsPerClient: 2, sessionIdleMs: 400 } });
    const auth = { host: hostOf(g), authorization: `Bearer ${g.token}` };
    // Raw initializes: no GET stream, so they go idle at once.
    expect((await rawPost(g.address, `/s/${g.serverId}/mcp`, auth, initializeBody)).status).toBe(200);
    expect((await rawPost(g.address, `/s/${g.serverId}/mcp`, auth, initializeBody)).status).toBe(200);
    const third = await rawPost(g.address, `/s/${g.serverId}/mcp`, auth, initializeBody);
    expect(third.status).toBe(429);
    expect(third.text).toMatch(/Too many open sessions/);
    await waitFor(() => g.t.core.gateway.view().clients[0]!.sessions === 0, 5000, 'idle sessions to end');
    expect((await rawPost(g.address, `/s/${g.serverId}/mcp`, auth, initializeBody)).status).toBe(200);
  });
});
