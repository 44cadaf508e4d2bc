// Tools, resources, prompts, client features, history and traffic through the real core against server-everything.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import type { ClientRequestView } from '../../shared/contract';
import { HistoryStore } from '../../electron/core/history';
import { EVERYTHING_SERVER, startTestCore, waitFor, type TestCore } from '../helpers/core';

const TOOL_CHANGER = join(import.meta.dirname, '../fixtures/servers/tool-changer.mjs');

const track = useCleanup();
let t: TestCore | undefined;

async function connected(core: TestCore, args: string[] = [EVERYTHING_SERVER, 'stdio'], name = 'Everything'): Promise<string> {
  const { server } = await core.call('addServer', { config: { transport: 'stdio', name, command: process.execPath, args } });
  await core.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await core.call('connectServer', { serverId: server.id });
  await core.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server.id;
}

describe('tools and the client features against server-everything', () => {
  it('calls echo, records history and traffic; refuses invalid arguments with field errors', async () => {
    t = track(startTestCore());
    const id = await connected(t);
    const res = await t.call('callTool', { serverId: id, tool: 'echo', arguments: { message: 'hello inspect' }, callId: 'c1' });
    expect(res.status).toBe('ok');
    expect(JSON.stringify(res.result)).toContain('hello inspect');
    expect(res.historyId).toBeTruthy();

    const invalid = await t.core.dispatch('callTool', { serverId: id, tool: 'echo', arguments: { message: 5 }, callId: 'c2' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.error.code).toBe('VALIDATION');
      expect(invalid.error.details).toHaveProperty('message');
    }
    const missing = await t.core.dispatch('callTool', { serverId: id, tool: 'echo', arguments: {}, callId: 'c3' });
    expect(missing.ok ? undefined : missing.error.details).toEqual({ message: 'is required' });

    const page = await t.call('queryHistory', { text: 'hello inspect' });
    expect(page.total).toBe(1);
    expect(page.records[0]).toMatchObject({ tool: 'echo', status: 'ok' });
    const { record } = await t.call('getHistoryRecord', { id: res.historyId! });
    expect(record.arguments).toEqual({ message: 'hello inspect' });

    const { entries } = await t.call('listTraffic', { serverId: id, method: 'tools/call' });
    expect(entries.some((e) => e.kind === 'jsonrpc' && e.direction === 'out')).toBe(true);
    expect(entries.some((e) => e.kind === 'jsonrpc' && e.direction === 'in' && typeof e.latencyMs === 'number')).toBe(true);
    await t.waitForEvent('trafficAppended', (p) => p.servers.some((s) => s.serverId === id));
    await t.waitForEvent('historyAppended', (p) => p.total >= 1);
  });

  it('validates structured content against the output schema and separates tool errors', async () => {
    t = track(startTestCore());
    const id = await connected(t);
    const res = await t.call('callTool', { serverId: id, tool: 'get-structured-content', arguments: { location: 'Chicago' }, callId: 's1' });
    expect(res.status).toBe('ok');
    expect(res.structured).toEqual({ hasSchema: true, valid: true, errors: [] });
    expect(res.result?.structuredContent).toMatchObject({ temperature: 36 });
  });

  it('reports progress and cancels a long-running call; times out another', async () => {
    t = track(startTestCore());
    const id = await connected(t);
    const call = t.call('callTool', { serverId: id, tool: 'trigger-long-running-operation', arguments: { duration: 20, steps: 20 }, callId: 'long' });
    await t.waitForEvent('toolProgress', (p) => p.callId === 'long' && p.progress >= 1);
    expect(await t.call('cancelToolCall', { callId: 'long' })).toEqual({ cancelled: true });
    const res = await call;
    expect(res.status).toBe('cancelled');
    const { entries } = await t.call('listTraffic', { serverId: id, method: 'notifications/cancelled' });
    expect(entries.length).toBe(1);

    const timed = await t.call('callTool', {
      serverId: id,
      tool: 'trigger-long-running-operation',
      arguments: { duration: 5, steps: 5 },
      callId: 'slow',
      timeoutMs: 300,
    });
    expect(timed.status).toBe('timeout');
    const facets = await t.call('historyFacets', {});
    expect(facets.statuses.map((s) => s.status).sort()).toEqual(['cancelled', 'timeout']);
  });

  it('holds an elicitation until answered, validating the answer', async () => {
    t = track(startTestCore());
    const id = await connected(t);
    const call = t.call('callTool', { serverId: id, tool: 'trigger-elicitation-request', arguments: {}, callId: 'e1' });
    const request = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.kind === 'elicitation');
    expect(request.requestedSchema).toHaveProperty('properties');
    const props = Object.keys((request.requestedSchema as { properties: object }).properties);
    expect(props).toContain('name');
    const wrong = await t.core.dispatch('answerElicitation', { requestId: request.requestId, action: 'accept', content: { name: 42 } });
    expect(wrong.ok).toBe(false);
    await t.call('answerElicitation', { requestId: request.requestId, action: 'accept', content: { name: 'Ada Lovelace' } });
    const res = await call;
    expect(res.status).toBe('ok');
    expect(JSON.stringify(res.result)).toContain('Ada Lovelace');
  });

  it('lists and reads resources and templates, gets prompts, sets roots and log level', async () => {
    t = track(startTestCore());
    const id = await connected(t);
    const { resources } = await t.call('listResources', { serverId: id });
    expect(resources.length).toBeGreaterThan(0);
    const read = await t.call('readResource', { serverId: id, uri: resources[0]!.uri });
    expect(read.contents.length).toBeGreaterThan(0);
    const { templates } = await t.call('listResourceTemplates', { serverId: id });
    const text = templates.find((x) => x.uriTemplate.includes('text'))!;
    expect(text.variables).toEqual(['resourceId']);
    const fromTemplate = await t.call('readResource', { serverId: id, uriTemplate: text.uriTemplate, variables: { resourceId: '3' } });
    expect(fromTemplate.uri).toBe('demo://resource/dynamic/text/3');
    await t.call('subscribeResource', { serverId: id, uri: fromTemplate.uri });
    expect(await t.call('listSubscriptions', { serverId: id })).toEqual({ uris: [fromTemplate.uri] });

    const { prompts } = await t.call('listPrompts', { serverId: id });
    expect(prompts.map((p) => p.name)).toContain('args-prompt');
    const prompt = await t.call('getPrompt', { serverId: id, name: 'args-prompt', arguments: { city: 'Lisbon' } });
    expect(JSON.stringify(prompt.messages)).toContain('Lisbon');

    const bad = await t.core.dispatch('setRoots', { serverId: id, paths: ['relative/path', join(tmpdir(), 'does-not-exist-xyz')] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.error.details as object)).toEqual(['paths.0', 'paths.1']);
    const roots = await t.call('setRoots', { serverId: id, paths: [tmpdir()] });
    expect(roots.paths).toEqual([tmpdir()]);
    // server-everything asks for roots after list_changed; its get-roots-list tool reports them.
    await waitFor(() => t!.events.some((e) => e.name === 'trafficAppended'), 5000);
    await new Promise((r) => setTimeout(r, 300));
    const listed = await t.call('callTool', { serverId: id, tool: 'get-roots-list', arguments: {}, callId: 'roots' });
    expect(JSON.stringify(listed.result)).toContain(tmpdir());

    await t.call('setLogLevel', { serverId: id, level: 'debug' });
    await t.call('callTool', { serverId: id, tool: 'toggle-simulated-logging', arguments: {}, callId: 'log' });
    await t.waitForEvent('serverMessages', (p) => p.serverId === id && p.messages.some((m) => m.kind === 'log'), 15_000);
  });

  it('snapshots tools on first connect and reports a diff after they change', async () => {
    const dir = track.tempDir('tool-changer-');
    const spec = join(dir, 'tools.json');
    writeFileSync(
      spec,
      JSON.stringify({
        tools: [
          { name: 'alpha', description: 'First' },
          { name: 'beta', description: 'Second' },
        ],
      }),
    );
    t = track(startTestCore());
    const id = await connected(t, [TOOL_CHANGER, spec], 'Changer');
    expect(await t.call('getToolDiff', { serverId: id })).toEqual({ diff: null });
    await t.call('disconnectServer', { serverId: id });
    writeFileSync(
      spec,
      JSON.stringify({
        tools: [
          { name: 'alpha', description: 'First, now different' },
          { name: 'gamma', description: 'Third' },
        ],
      }),
    );
    await t.call('connectServer', { serverId: id });
    const { diff } = await t.call('getToolDiff', { serverId: id });
    expect(diff!.changes.map((c) => `${c.kind}:${c.name}`)).toEqual(['changed:alpha', 'removed:beta', 'added:gamma']);
    await t.call('acknowledgeToolChanges', { serverId: id });
    expect(await t.call('getToolDiff', { serverId: id })).toEqual({ diff: null });
  });

  it('opens an existing history directory (seeded records are queryable)', async () => {
    const dataDir = track.tempDir('inspect-seed-');
    const store = new HistoryStore({ dir: join(dataDir, 'history') });
    await store.open();
    for (let i = 0; i < 500; i++)
      store.append({ serverId: 's', serverName: 'Seed', tool: i % 2 ? 'odd' : 'even', arguments: { i }, status: 'ok', startedAt: i, durationMs: 1 });
    await store.close();
    t = track(startTestCore({ dataDir }));
    const page = await t.call('queryHistory', { tool: 'odd', limit: 10 });
    expect(page.total).toBe(250);
  });
});
