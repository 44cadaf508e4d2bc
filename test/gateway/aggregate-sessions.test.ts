import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { waitFor } from '../helpers/core';
import { connectV2, rawPost, startGateway, text } from '../helpers/gateway';
import { addNamedServer, connect, startCombined, type CombinedSetup, type UpstreamSpec } from '../helpers/gateway-combined';

// 2025-era clients get sessions on the combined endpoint (/mcp) too, with the
// same rules as on a server's own endpoint: owned by the client and the
// endpoint, list changes filtered per client, log messages at the session's
// level, the upstream's elicitation on the call's own stream, ended on revoke.

const track = useCleanup();

async function setup(specs: UpstreamSpec[]): Promise<CombinedSetup> {
  const g = await startCombined(specs);
  track(g.t);
  return g;
}

const sessionOf = (client: Client) => (client.transport as StreamableHTTPClientTransport).sessionId;
const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();

const ALPHA: UpstreamSpec = { name: 'Alpha', env: { LABEL: 'alpha', TOOLS: 'search' } };
const BETA: UpstreamSpec = { name: 'Beta', env: { LABEL: 'beta', TOOLS: 'search,ping' } };

describe('gateway: sessions on the combined endpoint', () => {
  it('a 2025-era client gets one session on /mcp, told tools/list_changed as servers go down and up; its id works nowhere else; revoke ends it', async () => {
    const g = await setup([ALPHA, BETA]);
    const client = track(await connectV2(g.url, g.token));
    expect(sessionOf(client)).toMatch(/^[0-9a-f-]{36}$/);
    for (const tool of ['alpha__search', 'beta__search']) expect(text(await client.callTool({ name: tool, arguments: {} }))).toMatch(/:search$/);
    expect(g.t.core.gateway.view().clients[0]!.sessions).toBe(1);
    let changed = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections >= 1, 5000, 'the GET stream');

    // The session reads which servers are up at each request.
    await g.t.call('disconnectServer', { serverId: g.ids[1]! });
    await waitFor(() => changed === 1, 5000, 'list_changed when Beta stopped');
    expect(await names(client)).toEqual(['alpha__search']);
    await expect(client.callTool({ name: 'beta__ping', arguments: {} })).rejects.toThrow('Beta is not running in Switchboard');
    await connect(g.t, g.ids[1]!);
    await waitFor(() => changed === 2, 5000, 'list_changed when Beta came back');
    expect(await names(client)).toEqual(['alpha__search', 'beta__ping', 'beta__search']);
    expect(text(await client.callTool({ name: 'beta__ping', arguments: {} }))).toBe('beta:ping');

    // The session id is the combined endpoint's and this client's only: anywhere else it is unknown.
    const { token: otherToken } = await g.t.call('createGatewayClient', {
      name: 'Other',
      servers: [{ serverId: g.ids[0]!, allow: [], deny: [], hideDestructive: false }],
      combined: true,
    });
    const host = new URL(g.address).host;
    const list = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} });
    const headers = (token: string) => ({ host, authorization: `Bearer ${token}`, 'mcp-session-id': sessionOf(client)!, 'mcp-protocol-version': '2025-11-25' });
    const elsewhere = await rawPost(g.address, `/s/${g.ids[0]}/mcp`, headers(g.token), list);
    const otherClient = await rawPost(g.address, '/mcp', headers(otherToken), list);
    expect([elsewhere.status, otherClient.status]).toEqual([404, 404]);
    expect(otherClient.text).toBe(elsewhere.text);
    expect((await rawPost(g.address, '/mcp', headers(g.token), list)).status).toBe(200);

    await g.t.call('revokeGatewayClient', { id: g.clientId });
    await waitFor(() => g.t.core.gateway.view().clients.every((c) => c.sessions === 0), 5000, 'the session to end');
    await expect(client.callTool({ name: 'alpha__search', arguments: {} })).rejects.toThrow();
  });

  it('sends the upstream’s elicitation to the session that declared it, on its own call, and log messages named by the server’s prefix at the session’s level', async () => {
    const g = await startGateway();
    track(g.t);
    await g.t.call('updateGatewayClient', { id: g.clientId, combined: true });
    const url = new URL(`${g.address}/mcp`);
    const client = new Client({ name: 'eliciting-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(String((request.params as { message?: unknown }).message));
      return { action: 'accept', content: { name: 'Ada' } };
    });
    const logs: { logger?: string; data: unknown }[] = [];
    client.setNotificationHandler('notifications/message', (n) => void logs.push({ logger: n.params.logger, data: n.params.data }));
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }));
    track(client);
    expect(sessionOf(client)).toBeDefined();
    expect(text(await client.callTool({ name: 'upstream__ask', arguments: {} }))).toBe('Hello Ada');
    expect(asked).toEqual(['What is your name?']);
    expect((await g.t.call('listClientRequests', {})).requests).toEqual([]);

    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections >= 1, 5000, 'the GET stream');
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'upstream__log', arguments: { level: 'info', text: 'quiet' } });
    await client.callTool({ name: 'upstream__log', arguments: { level: 'error', text: 'loud' } });
    await waitFor(() => logs.some((l) => l.data === 'loud'), 5000, 'the log message');
    expect(logs.map((l) => l.data)).toEqual(['loud']);
    expect(logs[0]!.logger).toMatch(/^upstream\b/);

    // DELETE ends it.
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await waitFor(() => g.t.core.gateway.view().clients[0]!.sessions === 0, 5000, 'the session to end');
  });

  it('a session on /mcp subscribes to a resource on the server that owns it and hears its updates until it unsubscribes; a server without subscriptions refuses', async () => {
    const g = await startGateway();
    track(g.t);
    const alpha = await addNamedServer(g.t, { name: 'Alpha', env: { LABEL: 'alpha', TOOLS: 'search', RESOURCES: 'test://a' } });
    await g.t.call('updateGatewayClient', {
      id: g.clientId,
      combined: true,
      servers: [
        { serverId: g.serverId, allow: [], deny: [], hideDestructive: false },
        { serverId: alpha, allow: [], deny: [], hideDestructive: false },
      ],
    });
    const client = track(await connectV2(new URL(`${g.address}/mcp`), g.token));
    expect(client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updates.push(n.params.uri));
    await waitFor(() => g.t.core.gateway.view().clients[0]!.connections >= 1, 5000, 'the GET stream');

    await client.subscribeResource({ uri: 'test://readme' });
    expect(text(await client.callTool({ name: 'upstream__touch', arguments: {} }))).toBe('touched');
    await waitFor(() => updates.length === 1, 5000, 'the resource update');
    expect(updates).toEqual(['test://readme']);
    // Alpha owns test://a but offers no subscriptions; an unknown URI has no owner.
    await expect(client.subscribeResource({ uri: 'test://a' })).rejects.toThrow(/does not offer resource subscriptions/);
    await expect(client.subscribeResource({ uri: 'test://nowhere' })).rejects.toThrow(/not found/);

    await client.unsubscribeResource({ uri: 'test://readme' });
    await client.callTool({ name: 'upstream__touch', arguments: {} });
    await new Promise((r) => setTimeout(r, 300));
    expect(updates).toHaveLength(1);
  });
});
