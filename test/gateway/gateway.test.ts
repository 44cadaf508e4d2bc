import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, waitFor } from '../helpers/core';
import { connectV2, startGateway, type GatewaySetup, text } from '../helpers/gateway';

// The gateway end to end in Node: real SDK clients (v2 in both eras, v1) reach a
// real stdio server that Switchboard supervises, through its one connection.

const track = useCleanup();

async function setup(...args: Parameters<typeof startGateway>): Promise<GatewaySetup> {
  const g = await startGateway(...args);
  track(g.t);
  return g;
}

describe('gateway', () => {
  it('an SDK v2 client calls a tool through the gateway, in the 2025 era and in the 2026 era', async () => {
    const g = await setup();
    const legacy = track(await connectV2(g.url, g.token));
    expect(text(await legacy.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('Echo: hi');
    const modern = track(await connectV2(g.url, g.token, 'auto'));
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(text(await modern.callTool({ name: 'echo', arguments: { message: 'new era' } }))).toBe('Echo: new era');
    // One upstream process served both: the gateway used the managed connection.
    expect(g.t.core.servers.pids()).toHaveLength(1);
  });

  it('an SDK v1 client calls a tool through the gateway', async () => {
    const g = await setup();
    const client = new ClientV1({ name: 'gateway-test-v1', version: '1.0.0' });
    await client.connect(new TransportV1(g.url, { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }));
    track({ close: () => client.close() });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'v1' } }))).toBe('Echo: v1');
  });

  it('forwards progress and cancellation, resources, templates and prompts', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const progress: { progress: number; message?: string }[] = [];
    const done = await client.callTool({ name: 'slow', arguments: { ms: 50 } }, { onprogress: (p) => progress.push(p) });
    expect(text(done)).toBe('done');
    expect(progress).toEqual([expect.objectContaining({ progress: 1, message: 'half way' })]);

    const controller = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, { signal: controller.signal });
    await waitFor(() => g.t.core.tools.busy(), 5000, 'the call to reach the upstream');
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitFor(() => g.t.core.servers.getLog(g.serverId).some((l) => l.text.includes('slow: cancelled')), 5000, 'the upstream to see the cancellation');
    // The same in the 2026 era.
    const modern = track(await connectV2(g.url, g.token, 'auto'));
    const controller2 = new AbortController();
    const call2 = modern.callTool({ name: 'slow', arguments: { ms: 60_000 } }, { signal: controller2.signal });
    await waitFor(() => g.t.core.tools.busy(), 5000, 'the modern call to reach the upstream');
    controller2.abort('changed my mind');
    await expect(call2).rejects.toThrow();
    await waitFor(() => g.t.core.servers.getLog(g.serverId).filter((l) => l.text.includes('slow: cancelled')).length === 2, 5000, 'the second cancellation');

    expect((await client.listResources()).resources.map((r) => r.uri)).toContain('test://readme');
    expect((await client.readResource({ uri: 'test://readme' })).contents[0]).toMatchObject({ text: 'read me' });
    expect((await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)).toContain('test://items/{id}');
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet']);
    expect((await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } })).messages[0]!.content).toMatchObject({ text: 'Hello Ada' });
  });

  it('every call through the gateway is in History under the client name, and History filters by client', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    await client.callTool({ name: 'echo', arguments: { message: 'audited' } });
    await g.t.call('callTool', { serverId: g.serverId, tool: 'echo', arguments: { message: 'from switchboard' }, callId: 'own' });
    await waitFor(() => true);
    const mine = await g.t.call('queryHistory', { client: 'Test Client' });
    expect(mine.records).toHaveLength(1);
    expect(mine.records[0]).toMatchObject({ tool: 'echo', client: 'Test Client', status: 'ok' });
    const own = await g.t.call('queryHistory', { client: '' });
    expect(own.records.map((r) => r.client)).toEqual([undefined]);
    expect((await g.t.call('historyFacets', {})).clients).toEqual([{ name: 'Test Client', count: 1 }]);
    expect((await g.t.call('getHistoryRecord', { id: mine.records[0]!.id })).record.client).toBe('Test Client');
    // The Gateway view shows the last call.
    await waitFor(() => g.t.core.gateway.view().clients[0]?.lastCall?.tool === 'echo', 5000, 'last call');
    // The traffic view shows the downstream leg beside the upstream one, without the client's token.
    await waitFor(
      () => g.t.core.traffic.list(g.serverId).some((e) => e.kind === 'http' && e.phase === 'gateway' && e.status === 200),
      5000,
      'the downstream leg',
    );
    const { entries } = await g.t.call('listTraffic', { serverId: g.serverId });
    const downstream = entries.filter((e) => e.kind === 'http' && e.phase === 'gateway');
    expect(downstream.some((e) => e.kind === 'http' && e.requestBody?.includes('audited'))).toBe(true);
    expect(JSON.stringify(downstream)).toContain('Test Client');
    expect(JSON.stringify(entries)).not.toContain(g.token);
    expect(entries.some((e) => e.kind === 'jsonrpc' && e.direction === 'out' && JSON.stringify(e.message).includes('audited'))).toBe(true);
  });

  it('a tool the server adds later reaches gateway clients only after the user acknowledged the tool diff', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    // A 2026-era client listening for list changes hears about the tool once it is visible.
    const listener = track(await connectV2(g.url, g.token, 'auto'));
    let changed = 0;
    listener.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    const subscription = await listener.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
    await client.callTool({ name: 'add_late_tool', arguments: {} });
    await g.t.waitForEvent('toolDiffChanged', (p) => p.serverId === g.serverId && Boolean(p.diff?.changes.some((c) => c.name === 'late')));
    expect(g.t.core.servers.tools.get(g.serverId).map((t) => t.name)).toContain('late');
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('late');
    await expect(client.callTool({ name: 'late', arguments: {} })).rejects.toThrow(/not found/);
    const before = changed;
    await g.t.call('acknowledgeToolChanges', { serverId: g.serverId });
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('late');
    await waitFor(() => changed > before, 5000, 'list_changed on the listen stream after the acknowledgement');
    expect(text(await client.callTool({ name: 'late', arguments: {} }))).toBe('late');
  });

  it('revoking a client ends its live calls at once, and its next request gets 401', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const call = client.callTool({ name: 'slow', arguments: { ms: 60_000 } });
    await waitFor(() => g.t.core.tools.busy(), 5000, 'the call to reach the upstream');
    const started = Date.now();
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(() => g.t.core.servers.getLog(g.serverId).some((l) => l.text.includes('slow: cancelled')), 5000, 'the upstream call to be cancelled');
    await expect(client.callTool({ name: 'echo', arguments: { message: 'again' } })).rejects.toThrow(/401|Unauthorized|token/i);
    expect(g.t.core.gateway.view().clients).toEqual([]);
  });

  it('a rotated token replaces the old one at once', async () => {
    const g = await setup();
    const { token } = await g.t.call('rotateGatewayToken', { id: g.clientId });
    expect(token).not.toBe(g.token);
    await expect(connectV2(g.url, g.token)).rejects.toThrow();
    const client = track(await connectV2(g.url, token));
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'rotated' } }))).toBe('Echo: rotated');
  });

  it('is off by default and stops with the core', async () => {
    const fresh = track(startTestCore());
    await fresh.core.start();
    expect(await fresh.call('getGateway', {})).toMatchObject({ enabled: false, running: false, clients: [] });
    const g = await setup();
    const view = await g.t.call('getGateway', {});
    expect(view).toMatchObject({ enabled: true, running: true });
    expect(view.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await g.t.call('setGatewayEnabled', { enabled: false });
    await expect(fetch(g.url, { method: 'POST' })).rejects.toThrow();
    await g.t.call('setGatewayEnabled', { enabled: true });
    const address = (await g.t.call('getGateway', {})).address!;
    await g.t.core.shutdown();
    await expect(fetch(`${address}/s/${g.serverId}/mcp`, { method: 'POST' })).rejects.toThrow();
  });
});
