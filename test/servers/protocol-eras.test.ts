import { describe, expect, it } from 'vitest';
import type { ClientRequestView, ProtocolSetting, ServerView } from '../../shared/contract';
import { erasStdioArgs, startErasHttp } from '../fixtures/servers/eras';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { useCleanup } from '../helpers/cleanup';
import { firstText, startTestCore, type TestCore } from '../helpers/core';

// Both protocol eras through the core: the per-server protocol setting, what
// the Overview is told about the negotiated revision, clear errors on a
// mismatch, and multi-round-trip requests (input_required) answered through
// the core's client-request flow, paired in traffic and recorded once in history.

type Era = 'modern' | 'legacy';

describe('protocol eras', () => {
  const track = useCleanup();

  async function add(t: TestCore, kind: 'stdio' | 'http', era: Era, protocol?: ProtocolSetting): Promise<string> {
    const name = `${era}-${kind}-${protocol ?? 'default'}`;
    if (kind === 'stdio') {
      const { server } = await t.call('addServer', {
        config: { transport: 'stdio', name, command: process.execPath, args: erasStdioArgs(era), ...(protocol ? { protocol } : {}) },
      });
      await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
      return server.id;
    }
    const http = track(await startErasHttp(era));
    const { server } = await t.call('addServer', {
      config: { transport: 'http', name, url: http.url, ...(protocol ? { protocol } : {}) },
    });
    return server.id;
  }

  async function connect(t: TestCore, id: string): Promise<ServerView> {
    await t.call('connectServer', { serverId: id });
    return (await t.call('listServers', {})).servers.find((s) => s.id === id)!;
  }

  for (const kind of ['stdio', 'http'] as const) {
    it(`${kind}: Automatic (the default) speaks 2026-07-28 to a modern server and 2025-11-25 to a legacy one, and says why`, async () => {
      const t = track(startTestCore());
      const modern = await connect(t, await add(t, kind, 'modern'));
      const legacy = await connect(t, await add(t, kind, 'legacy'));
      expect(modern.config.protocol).toBe('auto');
      expect(modern.status.state).toBe('connected');
      expect(modern.info).toMatchObject({ protocolVersion: '2026-07-28', era: 'modern', eraReason: 'the server answered server/discover' });
      expect(legacy.status.state).toBe('connected');
      expect(legacy.info).toMatchObject({
        protocolVersion: '2025-11-25',
        era: 'legacy',
        eraReason: 'the server does not support server/discover; fell back to initialize',
      });
      for (const view of [modern, legacy]) {
        const res = await t.call('callTool', { serverId: view.id, tool: 'echo', arguments: { message: view.name }, callId: `echo-${view.id}` });
        expect(firstText(res)).toBe(`Echo: ${view.name}`);
      }
    });

    it(`${kind}: Modern only against a legacy server fails with a message that points at Automatic`, async () => {
      const t = track(startTestCore());
      const id = await add(t, kind, 'legacy', 'modern');
      const view = await connect(t, id).catch(async () => (await t.call('listServers', {})).servers.find((s) => s.id === id)!);
      expect(view.status.state).toBe('error');
      expect(view.status.reason).toMatch(/does not offer MCP 2026-07-28.*"Modern only".*Automatic/);
    });

    it(`${kind}: Legacy only against a modern-only server fails with a message that points at Automatic`, async () => {
      const t = track(startTestCore());
      const id = await add(t, kind, 'modern', 'legacy');
      const view = await connect(t, id).catch(async () => (await t.call('listServers', {})).servers.find((s) => s.id === id)!);
      expect(view.status.state).toBe('error');
      expect(view.status.reason).toMatch(/refused the 2025 initialize handshake: it only supports 2026-07-28.*"Legacy only".*Automatic/);
      if (kind === 'http') {
        // Not mistaken for a legacy HTTP+SSE server: no SSE stream was tried.
        const { entries } = await t.call('listTraffic', { serverId: id });
        expect(entries.filter((e) => e.kind === 'http' && e.method === 'GET')).toEqual([]);
      }
    });
  }

  it('stdio: Automatic does not spend the connect timeout on a legacy server that ignores server/discover', async () => {
    const t = track(startTestCore({ defaultConnectTimeoutMs: 15_000 }));
    const { server } = await t.call('addServer', {
      config: { transport: 'stdio', name: 'silent', command: process.execPath, args: [...erasStdioArgs('legacy'), 'silent-probe'] },
    });
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    const view = await connect(t, server.id);
    expect(view.status).toMatchObject({ state: 'connected' });
    expect(view.info).toMatchObject({ protocolVersion: '2025-11-25', era: 'legacy' });
  }, 30_000);

  it('Modern only against a modern server is pinned, and says so', async () => {
    const t = track(startTestCore());
    const view = await connect(t, await add(t, 'http', 'modern', 'modern'));
    expect(view.info).toMatchObject({ protocolVersion: '2026-07-28', era: 'modern' });
    expect(view.info?.eraReason).toMatch(/pinned by this server's setting/);
  });

  it('a settings file written before the protocol setting loads as Automatic, and a choice is stored', async () => {
    const dataDir = track.tempDir();
    createConfStore(dataDir).set('servers', [
      { id: 'old', name: 'old', enabled: false, transport: 'http', url: 'http://127.0.0.1:9/mcp', mode: 'auto', headers: [], omitResourceParameter: false },
    ]);
    const t = track(startTestCore({ dataDir }));
    const { servers, invalid } = await t.call('listServers', {});
    expect(invalid).toEqual([]);
    expect(servers.find((s) => s.id === 'old')?.config.protocol).toBe('auto');
    const { server } = await t.call('updateServer', {
      serverId: 'old',
      config: { transport: 'http', name: 'old', url: 'http://127.0.0.1:9/mcp', enabled: false, protocol: 'legacy' },
    });
    expect(server.config.protocol).toBe('legacy');
    expect((createConfStore(dataDir).get('servers') as { protocol?: string }[])[0]?.protocol).toBe('legacy');
  });

  for (const kind of ['stdio', 'http'] as const) {
    it(`${kind}: a multi-round-trip elicitation goes through the dialog flow, every round paired in traffic, one history record`, async () => {
      const t = track(startTestCore());
      const id = await add(t, kind, 'modern');
      await connect(t, id);
      const call = t.call('callTool', { serverId: id, tool: 'confirm', arguments: { action: 'wipe' }, callId: 'mrtr' });

      const first = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.serverId === id && p.message === 'Really wipe?');
      await t.call('answerElicitation', { requestId: first.requestId, action: 'accept', content: { confirm: true } });
      const second = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.serverId === id && p.message === 'Scope for wipe?');
      await t.call('answerElicitation', { requestId: second.requestId, action: 'accept', content: { scope: 'all' } });

      const res = await call;
      expect(res.status).toBe('ok');
      expect(firstText(res)).toBe('Done: wipe (all)');

      // Three rounds on the wire (ask, ask again with requestState, done), each with a new id and its response.
      const { entries } = await t.call('listTraffic', { serverId: id });
      const rpc = entries.filter((e) => e.kind === 'jsonrpc');
      const calls = rpc.filter(
        (e) => e.direction === 'out' && e.method === 'tools/call' && (e.message as { params?: { name?: string } }).params?.name === 'confirm',
      );
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((e) => e.id)).size).toBe(3);
      for (const out of calls) {
        const answer = rpc.find((e) => e.direction === 'in' && e.id === out.id);
        expect(answer, `response to round ${String(out.id)}`).toBeDefined();
        expect(out.pairedSeq ?? answer?.pairedSeq).toBeDefined();
      }
      const params = calls.map((e) => (e.message as { params: Record<string, unknown> }).params);
      expect(params[0]).not.toHaveProperty('inputResponses');
      expect(params[1]).toHaveProperty('inputResponses.confirm');
      expect(params[2]).toMatchObject({ requestState: 'confirmed' });
      expect(params[2]).toHaveProperty('inputResponses.scope');

      const history = await t.call('queryHistory', { tool: 'confirm' });
      expect(history.total).toBe(1);
      expect(history.records[0]).toMatchObject({ status: 'ok', tool: 'confirm' });
    });
  }

  it('a round asking for sampling and roots is answered by the sampling dialog and the configured roots', async () => {
    const t = track(startTestCore());
    const id = await add(t, 'stdio', 'modern');
    await connect(t, id);
    await t.call('setRoots', { serverId: id, paths: [track.tempDir(), track.tempDir()] });
    const call = t.call('callTool', { serverId: id, tool: 'summarize', arguments: {}, callId: 'sum' });
    const sampling = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.serverId === id && p.kind === 'sampling');
    await t.call('answerSampling', { requestId: sampling.requestId, action: 'reply', text: 'small diff' });
    expect(firstText(await call)).toBe('summary=small diff roots=2');
    expect((await t.call('queryHistory', { tool: 'summarize' })).total).toBe(1);
  });

  for (const kind of ['stdio', 'http'] as const) {
    it(`${kind}: prompts/get and resources/read ask through the same flow on a modern server`, async () => {
      const t = track(startTestCore());
      const id = await add(t, kind, 'modern');
      await connect(t, id);

      const prompt = t.call('getPrompt', { serverId: id, name: 'greet', arguments: {} });
      const ask = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.serverId === id && p.message === 'Whom shall I greet?');
      await t.call('answerElicitation', { requestId: ask.requestId, action: 'accept', content: { name: 'Ada' } });
      expect(JSON.stringify((await prompt).messages)).toContain('Hello, Ada!');

      const read = t.call('readResource', { serverId: id, uri: 'note://private' });
      const who = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.serverId === id && p.message === 'Who is reading the note?');
      await t.call('answerElicitation', { requestId: who.requestId, action: 'accept', content: { reader: 'Grace' } });
      expect((await read).contents[0]?.text).toBe('Note for Grace');
    });

    it(`${kind}: on a modern server, resource subscriptions and list changes arrive on the subscriptions/listen stream`, async () => {
      const t = track(startTestCore());
      const id = await add(t, kind, 'modern');
      await connect(t, id);
      await t.call('subscribeResource', { serverId: id, uri: 'config://app' });
      expect((await t.call('listSubscriptions', { serverId: id })).uris).toEqual(['config://app']);

      const { entries } = await t.call('listTraffic', { serverId: id, method: 'subscriptions/listen' });
      expect(entries.some((e) => e.kind === 'jsonrpc' && e.direction === 'out')).toBe(true);
      expect((await t.call('listTraffic', { serverId: id, method: 'resources/subscribe' })).entries).toEqual([]);

      await t.call('callTool', { serverId: id, tool: 'touch', arguments: {}, callId: 'touch' });
      await t.waitForEvent('resourceUpdated', (p) => p.serverId === id && p.uri === 'config://app');
      const messages = await waitForMessage(t, id, 'tools/list_changed');
      expect(messages).toBe(true);
    });
  }
});

async function waitForMessage(t: TestCore, serverId: string, text: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const { messages } = await t.call('getServerMessages', { serverId });
    if (messages.some((m) => m.text === text)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
