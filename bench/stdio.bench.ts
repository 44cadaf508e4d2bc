import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../electron/core/app-core';
import { createConfStore } from '../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../electron/core/node-ports/keyfile-cipher';
import type { ServerView } from '../shared/contract';

// Switchboard's core against a bare SDK client, same server, same run.

export const EVERYTHING = resolve(import.meta.dirname, '../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times two async operations under the same conditions: they alternate call by
 * call, in a random order each round, so CPU frequency, scheduler and cache
 * effects land on both alike. Returns the median of each, in ms.
 */
export async function pairedMedians(a: () => Promise<unknown>, b: () => Promise<unknown>, calls: number, warmup = 1000): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < calls; i++) {
    const aFirst = Math.random() < 0.5;
    for (const which of aFirst ? [0, 1] : [1, 0]) {
      const t = performance.now();
      await (which === 0 ? a() : b());
      (which === 0 ? ta : tb).push(performance.now() - t);
    }
  }
  return [median(ta), median(tb)];
}

export async function withCore<T>(fn: (core: Core, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const core = createCore({
    cipher: createKeyfileCipher(join(dataDir, 'k')),
    store: createConfStore(dataDir),
    browser: { open: async () => undefined },
    dataDir,
    env: process.env,
  });
  try {
    return await fn(core, dataDir);
  } finally {
    await core.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function call<T>(core: Core, method: string, request: unknown): Promise<T> {
  const envelope = await core.dispatch(method, request);
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as T;
}

export async function addEverything(core: Core, name = 'everything'): Promise<string> {
  const { server } = await call<{ server: ServerView }>(core, 'addServer', {
    config: { transport: 'stdio', name, command: process.execPath, args: [EVERYTHING, 'stdio'] },
  });
  await call(core, 'approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  return server.id;
}

async function bareConnect(): Promise<{ client: Client; ms: number }> {
  const start = performance.now();
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'pipe' }));
  await client.listTools();
  return { client, ms: performance.now() - start };
}

async function coreConnect(core: Core, id: string): Promise<number> {
  const start = performance.now();
  await call(core, 'connectServer', { serverId: id });
  await call(core, 'listTools', { serverId: id });
  return performance.now() - start;
}

export async function runStdioBench(
  opts: { connectRounds?: number; calls?: number; echo?: (core: Core, id: string, i: number) => Promise<void> } = {},
): Promise<Record<string, number>> {
  const rounds = opts.connectRounds ?? 7;
  const calls = opts.calls ?? 1000;
  const bareConnects: number[] = [];
  const coreConnects: number[] = [];
  let echoBare = 0;
  let echoCore = 0;

  await withCore(async (core) => {
    const id = await addEverything(core);
    // Interleave so machine noise hits both sides alike; the first round warms caches.
    for (let i = 0; i < rounds; i++) {
      const bare = await bareConnect();
      if (i > 0) bareConnects.push(bare.ms);
      await bare.client.close();
      const ms = await coreConnect(core, id);
      if (i > 0) coreConnects.push(ms);
      await call(core, 'disconnectServer', { serverId: id });
    }
    const bare = await bareConnect();
    await call(core, 'connectServer', { serverId: id });
    const coreEcho =
      opts.echo ??
      (async (c: Core, serverId: string, i: number) => void (await c.servers.client(serverId).callTool({ name: 'echo', arguments: { message: `m${i}` } })));
    let i = 0;
    [echoBare, echoCore] = await pairedMedians(
      () => bare.client.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      () => coreEcho(core, id, i++),
      calls,
    );
    await bare.client.close();
  });

  const bareConnect_ = median(bareConnects);
  const coreConnect_ = median(coreConnects);
  const bareEcho = echoBare;
  const coreEcho = echoCore;
  return {
    'connect+listTools bare SDK (ms, median)': bareConnect_,
    'connect+listTools Switchboard (ms, median)': coreConnect_,
    'connect+listTools ratio (target <= 1.10)': coreConnect_ / bareConnect_,
    'echo bare SDK (ms, median of 1000)': bareEcho,
    'echo Switchboard (ms, median of 1000)': coreEcho,
    'echo ratio (target <= 1.10)': coreEcho / bareEcho,
  };
}
