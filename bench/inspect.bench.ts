import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Core } from '../electron/core/app-core';
import type { CallToolResponse, ServerView } from '../shared/contract';
import { addEverything, EVERYTHING, median, pairedMedians, withCore } from './stdio.bench';

// The inspector's cost: tool calls through the core's callTool (validation,
// progress plumbing, history and traffic recording ON) against a bare SDK
// client on the same kind of stdio server; many servers at once; the renderer
// bundle and its first render. Run: npm run bench inspect

const ROOT = resolve(import.meta.dirname, '..');

async function call<T>(core: Core, method: string, request: unknown): Promise<T> {
  const envelope = await core.dispatch(method, request);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
  return envelope.value as T;
}

async function bareClient(): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'pipe' }));
  await client.listTools();
  return client;
}

let seq = 0;
async function coreEcho(core: Core, serverId: string, message: string): Promise<void> {
  const res = await call<CallToolResponse>(core, 'callTool', { serverId, tool: 'echo', arguments: { message }, callId: `bench-${seq++}` });
  if (res.status !== 'ok') throw new Error(`echo failed: ${res.error?.message}`);
}

/** Median latency of 1000 sequential echo calls, interleaved in blocks so noise hits both sides. */
export async function runEchoLatency(calls = 1000): Promise<Record<string, number>> {
  let b = 0;
  let c = 0;
  let recorded = 0;
  await withCore(async (core) => {
    const id = await addEverything(core);
    await call(core, 'connectServer', { serverId: id });
    const bare = await bareClient();
    try {
      let i = 0;
      [b, c] = await pairedMedians(
        () => bare.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
        () => coreEcho(core, id, `m${i++}`),
        calls,
      );
      recorded = (await call<{ total: number }>(core, 'queryHistory', { limit: 1 })).total;
    } finally {
      await bare.close();
    }
  });
  return {
    'echo bare SDK (ms, median of 1000)': b,
    'echo core callTool + history (ms, median of 1000)': c,
    'echo latency ratio (target <= 1.05)': c / b,
    'history records written': recorded,
  };
}

/**
 * 1000 calls in flight at once; throughput in calls per second. Rounds
 * alternate in a random order and the medians are compared: a single round
 * swings by 2x on a loaded 2-core machine.
 */
export async function runConcurrentThroughput(calls = 1000, rounds = 12): Promise<Record<string, number>> {
  const bareRates: number[] = [];
  const coreRates: number[] = [];
  const recordedRates: number[] = [];
  await withCore(async (core) => {
    const id = await addEverything(core);
    await call(core, 'connectServer', { serverId: id });
    const bare = await bareClient();
    const burstBare = () => Promise.all(Array.from({ length: calls }, (_, i) => bare.callTool({ name: 'echo', arguments: { message: `m${i}` } })));
    const burstCore = () => Promise.all(Array.from({ length: calls }, (_, i) => coreEcho(core, id, `m${i}`)));
    // History and traffic are recorded once a burst is answered: flush them (timed separately) so they never land in a bare round.
    const flushRecording = async () => {
      await call(core, 'queryHistory', { limit: 1 });
      await call(core, 'listTraffic', { serverId: id, limit: 1 });
    };
    try {
      for (let w = 0; w < 3; w++) {
        await burstBare();
        await burstCore();
        await flushRecording();
      }
      for (let r = 0; r < rounds; r++) {
        for (const side of Math.random() < 0.5 ? ['bare', 'core'] : ['core', 'bare']) {
          const t = performance.now();
          if (side === 'bare') {
            await burstBare();
            bareRates.push(calls / ((performance.now() - t) / 1000));
          } else {
            await burstCore();
            coreRates.push(calls / ((performance.now() - t) / 1000));
            await flushRecording();
            recordedRates.push(calls / ((performance.now() - t) / 1000));
          }
        }
      }
    } finally {
      await bare.close();
    }
  });
  const b = median(bareRates);
  const c = median(coreRates);
  return {
    'concurrent echo bare SDK (calls/s, median)': b,
    'concurrent echo core callTool + history (calls/s, median)': c,
    'concurrent throughput ratio (target >= 0.95)': c / b,
    'concurrent, until history and traffic are recorded (calls/s)': median(recordedRates),
    'concurrent ratio including recording': median(recordedRates) / b,
  };
}

/**
 * 50 stdio servers connected at once. Spawning 50 Node processes is CPU-bound,
 * so the baseline for "at once" is 50 bare SDK clients connecting at once on
 * the same machine; the 1-server time and the echo latency with 1 vs 50
 * connected are reported too.
 */
export async function runManyServers(count = 50): Promise<Record<string, number>> {
  let one = 0;
  let many = 0;
  let rssMb = 0;
  let connected = 0;
  let echoOne = 0;
  let echoMany = 0;
  const echoMedian = async (core: Core, id: string) => {
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await coreEcho(core, id, `m${i}`);
      if (i >= 100) times.push(performance.now() - t);
    }
    return median(times);
  };
  await withCore(async (core) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await addEverything(core, `everything-${i}`));
    // One server, twice (the first warms the module cache); take the second.
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const { server } = await call<{ server: ServerView }>(core, 'connectServer', { serverId: ids[0] });
      if (server.status.state !== 'connected') throw new Error(`not connected: ${server.status.reason}`);
      one = performance.now() - t;
      if (i === 0) await call(core, 'disconnectServer', { serverId: ids[0] });
    }
    echoOne = await echoMedian(core, ids[0]!);
    await call(core, 'disconnectServer', { serverId: ids[0] });
    const t = performance.now();
    const views = await Promise.all(ids.map((id) => call<{ server: ServerView }>(core, 'connectServer', { serverId: id })));
    many = performance.now() - t;
    connected = views.filter((v) => v.server.status.state === 'connected').length;
    rssMb = process.memoryUsage().rss / 1024 / 1024;
    echoMany = await echoMedian(core, ids[0]!);
  });
  const t = performance.now();
  const bare = await Promise.all(Array.from({ length: count }, () => bareClient()));
  const bareMany = performance.now() - t;
  await Promise.all(bare.map((c) => c.close()));
  return {
    'connect 1 stdio server, core (ms)': one,
    [`connect ${count} at once, bare SDK clients (ms)`]: bareMany,
    [`connect ${count} at once, core (ms)`]: many,
    [`${count} at once core / bare (target <= 1.5)`]: many / bareMany,
    [`${count} at once / 1 server, core (CPU-bound spawn, informational)`]: many / one,
    [`servers connected (of ${count})`]: connected,
    'core process RSS with all connected (MB)': rssMb,
    'echo with 1 connected (ms, median)': echoOne,
    [`echo with ${count} connected (ms, median)`]: echoMany,
    [`echo ${count} connected / 1 connected`]: echoMany / echoOne,
  };
}

/** Size of the built renderer JS, gzipped (run `npx electron-vite build` first). */
export async function runRendererSize(): Promise<Record<string, number>> {
  const dir = join(ROOT, 'out/renderer/assets');
  let raw = 0;
  let gz = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const bytes = readFileSync(join(dir, file));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { 'renderer JS raw (KB)': raw / 1024, 'renderer JS gzipped (KB, target <= 250)': gz / 1024 };
}

/** Navigation start to the first server list rendered with the servers from the core, in Chromium via the e2e harness. */
export async function runFirstRender(rounds = 7): Promise<Record<string, number>> {
  const { launchApp } = await import('../e2e/harness');
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-render-'));
  const times: number[] = [];
  try {
    // Seed three servers through a core on the same data dir.
    await withCoreAt(dataDir, async (core) => {
      for (let i = 0; i < 3; i++)
        await call(core, 'addServer', { config: { transport: 'stdio', name: `srv-${i}`, command: process.execPath, args: ['-e', '0'] } });
    });
    const app = await launchApp({ dataDir });
    try {
      for (let i = 0; i < rounds; i++) {
        await app.page.reload({ waitUntil: 'commit' });
        const ms = await app.page.waitForFunction(
          () => (document.querySelectorAll('nav[aria-label="Servers"] li').length >= 3 ? performance.now() : 0),
          undefined,
          { polling: 'raf', timeout: 30_000 },
        );
        const value = (await ms.jsonValue()) as number;
        if (i > 0) times.push(value);
      }
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { 'first server list render after navigation (ms, median)': median(times) };
}

async function withCoreAt(dataDir: string, fn: (core: Core) => Promise<void>): Promise<void> {
  const { createCore } = await import('../electron/core/app-core');
  const { createConfStore } = await import('../electron/core/node-ports/conf-store');
  const { createKeyfileCipher } = await import('../electron/core/node-ports/keyfile-cipher');
  const core = createCore({
    cipher: createKeyfileCipher(join(dataDir, 'vault.key')),
    store: createConfStore(dataDir),
    browser: { open: async () => undefined },
    dataDir,
    env: process.env,
  });
  try {
    await fn(core);
  } finally {
    await core.shutdown();
  }
}
