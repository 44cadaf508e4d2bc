import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Core } from '../electron/core/app-core';
import { CLIENT_CAPABILITIES } from '../electron/core/client-features';
import type { CallToolResponse, ServerView } from '../shared/contract';
import { median, pairedMedians, withCore } from './stdio.bench';

// Both protocol eras over Streamable HTTP on 127.0.0.1: Switchboard's core
// (connectServer + listTools; callTool with validation, history and traffic
// recording) against a bare SDK v2 client with the same era discovery
// (versionNegotiation 'auto'), same server process, same run. The bare client
// declares what Switchboard declares and asks for progress the way it does, so
// the server does the same work for both (a 2026-07-28 server reads the
// capabilities on every request): the ratio is what Switchboard adds.
//   modern: a stateless 2026-07-28 server (createMcpHandler)
//   legacy: a stateful 2025-11-25 server (NodeStreamableHTTPServerTransport)
// Run: npm run bench eras

type Era = 'modern' | 'legacy';

async function startServer(era: Era): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'eras-server.ts'), era], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('\n')) done(out.trim());
    });
    child.once('exit', (code) => fail(new Error(`bench server exited with ${code}`)));
  });
  return { url, child };
}

async function call<T>(core: Core, method: string, request: unknown): Promise<T> {
  const envelope = await core.dispatch(method, request);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
  return envelope.value as T;
}

async function bareConnect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' }, capabilities: structuredClone(CLIENT_CAPABILITIES) });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await client.listTools();
  return client;
}

let seq = 0;
async function coreEcho(core: Core, serverId: string, message: string): Promise<void> {
  const res = await call<CallToolResponse>(core, 'callTool', { serverId, tool: 'echo', arguments: { message }, callId: `eras-${seq++}` });
  if (res.status !== 'ok') throw new Error(`echo failed: ${res.error?.message}`);
}

async function runEra(era: Era, opts: { connectRounds?: number; calls?: number; burst?: number; burstRounds?: number } = {}): Promise<Record<string, number>> {
  const { connectRounds = 9, calls = 1000, burst = 1000, burstRounds = 10 } = opts;
  const server = await startServer(era);
  const bareConnects: number[] = [];
  const coreConnects: number[] = [];
  const bareRates: number[] = [];
  const coreRates: number[] = [];
  let latency: [number, number] = [0, 0];
  let protocol = '';
  try {
    await withCore(async (core) => {
      const { server: added } = await call<{ server: ServerView }>(core, 'addServer', { config: { transport: 'http', name: `bench ${era}`, url: server.url } });
      const id = added.id;
      // Connect: interleaved rounds, the first (cold caches, JIT) dropped.
      for (let i = 0; i < connectRounds; i++) {
        let t = performance.now();
        const bare = await bareConnect(server.url);
        if (i > 0) bareConnects.push(performance.now() - t);
        protocol = bare.getNegotiatedProtocolVersion?.() ?? '';
        await bare.close();
        t = performance.now();
        await call(core, 'connectServer', { serverId: id });
        await call(core, 'listTools', { serverId: id });
        if (i > 0) coreConnects.push(performance.now() - t);
        await call(core, 'disconnectServer', { serverId: id });
      }
      await call(core, 'connectServer', { serverId: id });
      const bare = await bareConnect(server.url);
      try {
        let i = 0;
        const onprogress = () => undefined;
        latency = await pairedMedians(
          () => bare.callTool({ name: 'echo', arguments: { message: `m${i++}` } }, { onprogress }),
          () => coreEcho(core, id, `m${i++}`),
          calls,
          200,
        );
        const burstBare = () =>
          Promise.all(Array.from({ length: burst }, (_, k) => bare.callTool({ name: 'echo', arguments: { message: `b${k}` } }, { onprogress })));
        const burstCore = () => Promise.all(Array.from({ length: burst }, (_, k) => coreEcho(core, id, `b${k}`)));
        // Recording (history, traffic) happens once a burst is answered: let it finish outside the timed rounds.
        const flush = async () => {
          await call(core, 'queryHistory', { limit: 1 });
          await call(core, 'listTraffic', { serverId: id, limit: 1 });
        };
        await burstBare();
        await burstCore();
        await flush();
        for (let r = 0; r < burstRounds; r++) {
          for (const side of Math.random() < 0.5 ? ['bare', 'core'] : ['core', 'bare']) {
            const t = performance.now();
            await (side === 'bare' ? burstBare() : burstCore());
            (side === 'bare' ? bareRates : coreRates).push(burst / ((performance.now() - t) / 1000));
            if (side === 'core') await flush();
          }
        }
      } finally {
        await bare.close();
      }
    });
  } finally {
    server.child.kill();
  }
  const [bareCall, coreCall] = latency;
  const b = median(bareRates);
  const c = median(coreRates);
  return {
    [`connect+listTools bare SDK, negotiated ${protocol || '?'} (ms, median)`]: median(bareConnects),
    'connect+listTools Switchboard (ms, median)': median(coreConnects),
    'connect+listTools ratio': median(coreConnects) / median(bareConnects),
    [`echo bare SDK (ms, median of ${calls})`]: bareCall,
    [`echo Switchboard callTool + history (ms, median of ${calls})`]: coreCall,
    'call latency ratio (target <= 1.10)': coreCall / bareCall,
    [`${burst} concurrent echo bare SDK (calls/s, median)`]: b,
    [`${burst} concurrent echo Switchboard (calls/s, median)`]: c,
    'concurrent throughput ratio (target >= 0.95)': c / b,
  };
}

/** 2026-07-28: stateless server, era discovered with server/discover. */
export function runModernHttp(): Promise<Record<string, number>> {
  return runEra('modern');
}

/** 2025-11-25: stateful session server; discovery falls back to initialize. */
export function runLegacyHttp(): Promise<Record<string, number>> {
  return runEra('legacy');
}
