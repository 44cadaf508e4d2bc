import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../electron/core/app-core';
import { createConfStore } from '../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../electron/core/node-ports/keyfile-cipher';
import type { GatewayView, ServerView } from '../shared/contract';
import { EVERYTHING, median, pairedMedians } from './stdio.bench';

// The gateway against calling the upstream directly (a bare SDK client on its
// own server-everything process), same run: one call's latency, 1,000 calls at
// once, and the core's memory with 20 gateway clients connected.

export async function runGatewayBench(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-gw-'));
  const core = createCore(
    { cipher: createKeyfileCipher(join(dataDir, 'k')), store: createConfStore(dataDir), browser: { open: async () => undefined }, dataDir, env: process.env },
    { gatewayLimits: { maxOpenPerClient: 1000 } },
  );
  const call = async <T>(method: string, request: unknown): Promise<T> => {
    const envelope = await core.dispatch(method, request);
    if (!envelope.ok) throw new Error(envelope.error.message);
    return envelope.value as T;
  };
  const clients: Client[] = [];
  try {
    const { server } = await call<{ server: ServerView }>('addServer', {
      config: { transport: 'stdio', name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    await call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    await call('connectServer', { serverId: server.id });
    const gateway = await call<GatewayView>('setGatewayEnabled', { enabled: true });
    const url = new URL(`${gateway.address}/s/${server.id}/mcp`);
    const connectThroughGateway = async (name: string) => {
      const { token } = await call<{ token: string }>('createGatewayClient', { name, servers: [{ serverId: server.id }] });
      const client = new Client({ name, version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      clients.push(client);
      return client;
    };

    const direct = new Client({ name: 'direct', version: '1' });
    await direct.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'pipe' }));
    clients.push(direct);
    const viaGateway = await connectThroughGateway('bench');

    let i = 0;
    const [directMs, gatewayMs] = await pairedMedians(
      () => direct.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      () => viaGateway.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      500,
      200,
    );

    // Failed calls are counted, not thrown: the figure says how many of the 1,000 did not complete.
    let failed = 0;
    const burst = async (client: Client) => {
      const start = performance.now();
      const settled = await Promise.allSettled(Array.from({ length: 1000 }, (_, k) => client.callTool({ name: 'echo', arguments: { message: `b${k}` } })));
      const ok = settled.filter((s) => s.status === 'fulfilled').length;
      failed += 1000 - ok;
      return ok / ((performance.now() - start) / 1000);
    };
    const directRates: number[] = [];
    const gatewayRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      directRates.push(await burst(direct));
      gatewayRates.push(await burst(viaGateway));
    }

    for (let k = 1; k < 20; k++) await (await connectThroughGateway(`client ${k}`)).callTool({ name: 'echo', arguments: { message: 'hi' } });
    global.gc?.();
    const rss = process.memoryUsage().rss / 1024 / 1024;
    const heap = process.memoryUsage().heapUsed / 1024 / 1024;

    return {
      'echo direct (ms, median of 500)': directMs,
      'echo through the gateway (ms, median of 500)': gatewayMs,
      'latency ratio (target <= 1.15)': gatewayMs / directMs,
      '1,000 concurrent direct (calls/s, median of 3)': median(directRates),
      '1,000 concurrent through the gateway (calls/s, median of 3)': median(gatewayRates),
      'throughput ratio (target >= 0.85)': median(gatewayRates) / median(directRates),
      'calls that failed in the six bursts (of 6,000)': failed,
      'bench process RSS with 20 gateway clients (MB; core and clients share it)': rss,
      'bench process heap with 20 gateway clients (MB)': heap,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await core.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
