import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { CallToolResponse, ServerView } from '../shared/contract';
import { CLIENT_CAPABILITIES } from '../electron/core/client-features';
import { withCore } from './stdio.bench';

// Not a suite (run.ts does not load it): ONE side of the eras bench, bare SDK client or
// Switchboard's core, alone in its process against the same echo server, printing CPU time
// per call (sequential, 1000-call bursts, and the recording that follows a burst), so a
// --cpu-prof of each side can be compared function by function:
//   node --cpu-prof --import tsx bench/side.ts modern|legacy bare|core
const [era, side] = process.argv.slice(2) as ['modern' | 'legacy', 'bare' | 'core'];
const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'eras-server.ts'), era], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((done) => child.stdout!.on('data', (d: Buffer) => done(d.toString().trim())));
let seq = 0;
async function measure(echo: (m: string) => Promise<unknown>, flush: () => Promise<void>) {
  for (let i = 0; i < 300; i++) await echo(`w${i}`);
  await Promise.all(Array.from({ length: 1000 }, (_, k) => echo(`w${k}`)));
  await flush();
  let c = process.cpuUsage();
  let t = performance.now();
  for (let i = 0; i < 2000; i++) await echo(`m${i}`);
  let cu = process.cpuUsage(c);
  const seqWall = (performance.now() - t) / 2000;
  const seqCpu = (cu.user + cu.system) / 2000;
  const rates: number[] = [];
  let burstCpu = 0,
    flushCpu = 0;
  for (let r = 0; r < 6; r++) {
    c = process.cpuUsage();
    t = performance.now();
    await Promise.all(Array.from({ length: 1000 }, (_, k) => echo(`b${k}`)));
    rates.push(1000 / ((performance.now() - t) / 1000));
    cu = process.cpuUsage(c);
    burstCpu += (cu.user + cu.system) / 6000;
    c = process.cpuUsage();
    await flush();
    cu = process.cpuUsage(c);
    flushCpu += (cu.user + cu.system) / 6000;
  }
  rates.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      era,
      side,
      seqWallMs: +seqWall.toFixed(3),
      seqCpuUs: +seqCpu.toFixed(1),
      burstCpuUs: +burstCpu.toFixed(1),
      flushCpuUs: +flushCpu.toFixed(1),
      burstRate: Math.round(rates[3]!),
    }),
  );
}
try {
  if (side === 'bare') {
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' }, capabilities: structuredClone(CLIENT_CAPABILITIES) });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    await measure(
      (m) => client.callTool({ name: 'echo', arguments: { message: m } }, { onprogress: () => undefined }),
      async () => undefined,
    );
    await client.close();
  } else {
    await withCore(async (core) => {
      const call = async <T>(method: string, req: unknown) => {
        const e = await core.dispatch(method, req);
        if (!e.ok) throw new Error(e.error.message);
        return e.value as T;
      };
      const { server } = await call<{ server: ServerView }>('addServer', { config: { transport: 'http', name: 'b', url } });
      await call('connectServer', { serverId: server.id });
      await measure(
        async (m) => {
          const r = await call<CallToolResponse>('callTool', { serverId: server.id, tool: 'echo', arguments: { message: m }, callId: `c${seq++}` });
          if (r.status !== 'ok') throw new Error('x');
        },
        async () => {
          await call('queryHistory', { limit: 1 });
          await call('listTraffic', { serverId: server.id, limit: 1 });
        },
      );
    });
  }
} finally {
  child.kill();
}
