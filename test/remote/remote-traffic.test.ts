import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';
import { startSdkServer } from '../fixtures/remote/servers';

// A remote server's JSON-RPC messages are recorded the way a stdio server's
// are (the inspector's transport wrapper, queued off the call path), and its
// HTTP exchanges as they finish. The traffic view still lists them in the
// order they happened: a request before the HTTP POST that carried it.

const track = useCleanup();

describe('remote traffic', () => {
  it('records a remote session through the shared path, paired, each message before the HTTP exchange that carried it', async () => {
    const mcp = track(await startSdkServer());
    const t = track(startTestCore());
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Remote', url: mcp.url } });
    expect((await t.call('connectServer', { serverId: server.id })).server.status.state).toBe('connected');
    const echo = await t.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'hi' }, callId: 'r1' });
    expect(echo.status).toBe('ok');

    const list = async () => (await t.call('listTraffic', { serverId: server.id })).entries;
    const entries = await list();
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const call = entries.find((e) => e.kind === 'jsonrpc' && e.direction === 'out' && e.method === 'tools/call')!;
    const answer = entries.find((e) => e.kind === 'jsonrpc' && e.direction === 'in' && e.pairedSeq === call.seq);
    expect(call).toBeDefined();
    expect(answer).toMatchObject({ method: 'tools/call' });
    expect(JSON.stringify(answer)).toContain('Echo: hi');
    // The POST that carried tools/call started after the message was sent, and is listed after it.
    let carried: ResponseOf<'listTraffic'>['entries'][number] | undefined;
    for (let i = 0; i < 100 && !carried; i++) {
      carried = (await list()).find((e) => e.kind === 'http' && e.method === 'POST' && e.ts >= call.ts);
      if (!carried) await new Promise((r) => setTimeout(r, 20));
    }
    expect(carried?.seq).toBeGreaterThan(call.seq);
  });
});
