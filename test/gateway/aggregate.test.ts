import { createHash } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, waitFor } from '../helpers/core';
import { addUpstream, connectV2, initializeBody, rawPost, text, UPSTREAM_SECRET } from '../helpers/gateway';
import { connect, startCombined, type CombinedSetup, type UpstreamSpec } from '../helpers/gateway-combined';

// The combined endpoint (/mcp) with real SDK v2 clients against real stdio
// servers that share tool, prompt and resource names.

const track = useCleanup();

async function setup(specs: UpstreamSpec[], options: Parameters<typeof startCombined>[1] = {}): Promise<CombinedSetup> {
  const g = await startCombined(specs, options);
  track(g.t);
  return g;
}

const names = async (client: Awaited<ReturnType<typeof connectV2>>) => (await client.listTools()).tools.map((t) => t.name).sort();
const refusal = async (run: Promise<unknown>): Promise<{ code: number; message: string }> => {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return { code: (error as ProtocolError).code, message: (error as ProtocolError).message };
};

const ALPHA: UpstreamSpec = {
  name: 'Alpha Files',
  env: { LABEL: 'alpha', TOOLS: 'search,read', DESTRUCTIVE: 'wipe', RESOURCES: 'test://alpha,test://shared', PROMPTS: 'greet' },
};
const BETA: UpstreamSpec = {
  name: 'Beta',
  env: { LABEL: 'beta', TOOLS: 'search,ping', DESTRUCTIVE: 'wipe', RESOURCES: 'test://beta,test://shared', PROMPTS: 'greet', TEMPLATES: 'beta://items/{id}' },
};

describe('gateway: the combined endpoint', () => {
  it('serves both servers’ tools as <prefix>__<tool>, routes each call to its own server, in both eras, and History names the real server and tool', async () => {
    const g = await setup([ALPHA, BETA]);
    const legacy = track(await connectV2(g.url, g.token));
    expect(await names(legacy)).toEqual(['alpha-files__read', 'alpha-files__search', 'alpha-files__wipe', 'beta__ping', 'beta__search', 'beta__wipe']);
    expect(text(await legacy.callTool({ name: 'alpha-files__search', arguments: {} }))).toBe('alpha:search');
    expect(text(await legacy.callTool({ name: 'beta__search', arguments: {} }))).toBe('beta:search');
    const modern = track(await connectV2(g.url, g.token, 'auto'));
    expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(text(await modern.callTool({ name: 'beta__search', arguments: {} }))).toBe('beta:search');
    expect(modern.getInstructions()).toContain('alpha-files = Alpha Files; beta = Beta');

    await waitFor(() => true);
    const { records } = await g.t.call('queryHistory', { client: 'Combined Client' });
    expect(records.map((r) => [r.serverId, r.tool, r.client]).sort()).toEqual(
      [
        [g.ids[0], 'search', 'Combined Client'],
        [g.ids[1], 'search', 'Combined Client'],
        [g.ids[1], 'search', 'Combined Client'],
      ].sort(),
    );
    await waitFor(() => g.t.core.gateway.view().clients[0]?.lastCall?.tool === 'search', 5000, 'last call');
    // The downstream leg is in the traffic of the server the call went to.
    await waitFor(
      () => g.t.core.traffic.list(g.ids[0]!).some((e) => e.kind === 'http' && e.phase === 'gateway' && e.url.endsWith('/mcp')),
      5000,
      'the downstream leg in Alpha’s traffic',
    );
  });

  it('applies each server’s own filters, and a filtered tool gets the same answer as an unknown one', async () => {
    const g = await setup([
      { ...ALPHA, access: { deny: ['search'], hideDestructive: true } },
      { ...BETA, access: { allow: ['search', 'wipe'] } },
    ]);
    const client = track(await connectV2(g.url, g.token));
    expect(await names(client)).toEqual(['alpha-files__read', 'beta__search', 'beta__wipe']);
    const filtered = await refusal(client.callTool({ name: 'alpha-files__search', arguments: {} }));
    const unknown = await refusal(client.callTool({ name: 'alpha-files__nope', arguments: {} }));
    const noPrefix = await refusal(client.callTool({ name: 'search', arguments: {} }));
    expect(filtered).toEqual({ code: unknown.code, message: unknown.message.replace('alpha-files__nope', 'alpha-files__search') });
    expect(noPrefix.message.replace(/\bsearch\b/, 'alpha-files__nope')).toBe(unknown.message);
    expect((await refusal(client.callTool({ name: 'alpha-files__wipe', arguments: {} }))).message).toMatch(/not found$/);
    expect((await refusal(client.callTool({ name: 'beta__ping', arguments: {} }))).message).toMatch(/not found$/);
    // Nothing reached an upstream.
    expect((await g.t.call('queryHistory', {})).total).toBe(0);
    expect(text(await client.callTool({ name: 'beta__wipe', arguments: {} }))).toBe('beta:wipe');
  });

  it('servers with the same name get distinct prefixes from their ids; names stay the same across a restart', async () => {
    const dataDir = track.tempDir('combined-restart-');
    const one: UpstreamSpec = { name: 'Docs', env: { LABEL: 'one', TOOLS: 'find' } };
    const two: UpstreamSpec = { name: 'docs!', env: { LABEL: 'two', TOOLS: 'find' } };
    const g = await startCombined([one, two, BETA], { dataDir });
    const suffix = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 4);
    const expected = [`docs-${suffix(g.ids[0]!)}__find`, `docs-${suffix(g.ids[1]!)}__find`];
    const client = await connectV2(g.url, g.token);
    const before = await names(client);
    expect(before).toEqual(expect.arrayContaining([...expected, 'beta__search']));
    expect(text(await client.callTool({ name: expected[0]!, arguments: {} }))).toBe('one:find');
    expect(text(await client.callTool({ name: expected[1]!, arguments: {} }))).toBe('two:find');
    expect(g.t.core.gateway.view().clients[0]!.prefixes).toEqual([
      { serverId: g.ids[0], prefix: `docs-${suffix(g.ids[0]!)}` },
      { serverId: g.ids[1], prefix: `docs-${suffix(g.ids[1]!)}` },
      { serverId: g.ids[2], prefix: 'beta' },
    ]);
    await client.close();
    await g.t.close();

    // The same servers after a restart: the same names, the same routes.
    const again = track(startTestCore({ dataDir }));
    await again.core.start();
    for (const id of g.ids) await again.waitForEvent('serverChanged', (p) => p.server.id === id && p.server.status.state === 'connected');
    const address = (await again.call('getGateway', {})).address!;
    const after = track(await connectV2(new URL(`${address}/mcp`), g.token));
    expect(await names(after)).toEqual(before);
    expect(text(await after.callTool({ name: expected[1]!, arguments: {} }))).toBe('two:find');
  });

  it('skips servers that are not connected, and their tools come back when they connect', async () => {
    const g = await setup([ALPHA, BETA]);
    const client = track(await connectV2(g.url, g.token));
    const listener = track(await connectV2(g.url, g.token, 'auto'));
    let changed = 0;
    listener.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
    await listener.listen({ toolsListChanged: true });
    await g.t.call('disconnectServer', { serverId: g.ids[1]! });
    await waitFor(() => changed > 0, 5000, 'list_changed when Beta stopped');
    expect(await names(client)).toEqual(['alpha-files__read', 'alpha-files__search', 'alpha-files__wipe']);
    expect((await refusal(client.callTool({ name: 'beta__search', arguments: {} }))).message).toBe(
      'Tool beta__search not found: Beta is not running in Switchboard',
    );
    expect(text(await client.callTool({ name: 'alpha-files__search', arguments: {} }))).toBe('alpha:search');
    const before = changed;
    await connect(g.t, g.ids[1]!);
    await waitFor(() => changed > before, 5000, 'list_changed when Beta connected');
    expect(await names(client)).toContain('beta__search');
  });

  it('passes resources with their URIs to the one server that lists them, refuses a URI two servers list, and namespaces prompts', async () => {
    const g = await setup([ALPHA, BETA]);
    const client = track(await connectV2(g.url, g.token));
    expect((await client.listResources()).resources.map((r) => r.uri).sort()).toEqual(['test://alpha', 'test://beta']);
    expect((await client.readResource({ uri: 'test://alpha' })).contents[0]).toMatchObject({ text: 'alpha has test://alpha' });
    expect((await client.readResource({ uri: 'test://beta' })).contents[0]).toMatchObject({ text: 'beta has test://beta' });
    expect((await refusal(client.readResource({ uri: 'test://shared' }))).message).toMatch(/ambiguous.*Alpha Files and Beta/);
    expect((await refusal(client.readResource({ uri: 'test://nobody' }))).message).toMatch(/not found/);
    // A template routes the URIs it matches.
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(['beta://items/{id}']);
    expect((await client.readResource({ uri: 'beta://items/7' })).contents[0]).toMatchObject({ text: 'beta template beta://items/7' });

    expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(['alpha-files__greet', 'beta__greet']);
    expect((await client.getPrompt({ name: 'beta__greet' })).messages[0]!.content).toMatchObject({ text: 'beta:greet' });
    expect((await client.getPrompt({ name: 'alpha-files__greet' })).messages[0]!.content).toMatchObject({ text: 'alpha:greet' });
    expect((await refusal(client.getPrompt({ name: 'greet' }))).message).toMatch(/not found/);
  });

  it('is off for a client until turned on: /mcp is refused, then served, and turning it off ends it again', async () => {
    const g = await setup([ALPHA], { combined: false });
    const host = new URL(g.address).host;
    const refused = await rawPost(g.address, '/mcp', { host, authorization: `Bearer ${g.token}` }, initializeBody);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('One combined endpoint');
    expect(g.t.core.gateway.view().clients[0]).not.toHaveProperty('combined');
    await g.t.call('updateGatewayClient', { id: g.clientId, combined: true });
    const client = track(await connectV2(g.url, g.token));
    expect(await names(client)).toContain('alpha-files__search');
    // The per-server endpoint still works beside it.
    const own = track(await connectV2(new URL(`${g.address}/s/${g.ids[0]}/mcp`), g.token));
    expect(text(await own.callTool({ name: 'search', arguments: {} }))).toBe('alpha:search');
    await g.t.call('updateGatewayClient', { id: g.clientId, combined: false });
    expect((await rawPost(g.address, '/mcp', { host, authorization: `Bearer ${g.token}` }, initializeBody)).status).toBe(403);
    // Without a token the combined endpoint is like any other: 401.
    expect((await rawPost(g.address, '/mcp', { host }, initializeBody)).status).toBe(401);
  });

  it('forwards progress and 2025-era cancellation of a combined call, and scrubs injected secrets', async () => {
    const t = track(startTestCore());
    const server = await addUpstream(t);
    const { address } = await t.call('setGatewayEnabled', { enabled: true });
    const { token } = await t.call('createGatewayClient', {
      name: 'Combined Client',
      servers: [{ serverId: server.id, allow: [], deny: [], hideDestructive: false }],
      combined: true,
    });
    const client = track(await connectV2(new URL(`${address}/mcp`), token));
    const progress: { progress: number; message?: string }[] = [];
    expect(text(await client.callTool({ name: 'upstream__slow', arguments: { ms: 500 } }, { onprogress: (p) => progress.push(p) }))).toBe('done');
    expect(progress).toEqual([expect.objectContaining({ progress: 1, message: 'half way' })]);
    const secret = text(await client.callTool({ name: 'upstream__secret', arguments: {} }));
    expect(secret).toMatch(/^my secret is /);
    expect(secret).not.toContain(UPSTREAM_SECRET);

    const controller = new AbortController();
    const call = client.callTool({ name: 'upstream__slow', arguments: { ms: 60_000 } }, { signal: controller.signal });
    await waitFor(() => t.core.tools.busy(), 5000, 'the call to reach the upstream');
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitFor(() => t.core.servers.getLog(server.id).some((l) => l.text.includes('slow: cancelled')), 5000, 'the upstream to see the cancellation');
  });
});
