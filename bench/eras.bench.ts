import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { SideRequest } from './eras-side';
import { median } from './stdio.bench';

// Both protocol eras over Streamable HTTP on 127.0.0.1: Switchboard's core
// (connectServer + listTools; callTool with validation, history and traffic
// recording) against a bare SDK v2 client with the same era discovery
// (versionNegotiation 'auto'), same server process, same run. The bare client
// declares what Switchboard declares and asks for progress the way it does, so
// the server does the same work for both (a 2026-07-28 server reads the
// capabilities on every request): the ratio is what Switchboard adds.
//
// Each side runs in a process of its own (eras-side.ts), as each does in real
// life, and only one runs at a time: the bench alternates them in small blocks,
// in a random order, so the machine's drift lands on both. In one shared process
// the two interfere (one heap, one event loop, one connection pool: the core's
// queued recording ran inside the bare client's timed rounds, and the bare
// client's pile of abort-signal dependants was walked inside the core's).
//   modern: a stateless 2026-07-28 server (createMcpHandler)
//   legacy: a stateful 2025-11-25 server (NodeStreamableHTTPServerTransport)
// Run: npm run bench eras

type Era = 'modern' | 'legacy';
type SideName = 'bare' | 'core';

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

/** One side's process; `ask` sends a request and resolves with its answer. */
async function startSide(url: string, side: SideName): Promise<{ ask: <T>(request: SideRequest) => Promise<T>; child: ChildProcess }> {
  const child = fork(resolve(import.meta.dirname, 'eras-side.ts'), [url, side], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  // The bare SDK transport warns about listeners under 1000 concurrent calls (see run.ts); keep real errors.
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    if (!/MaxListenersExceededWarning|--trace-warnings/.test(text)) process.stderr.write(text);
  });
  const [ready] = (await once(child, 'message')) as [unknown];
  if (!(ready as { ready?: boolean }).ready) throw new Error(`${side} side did not start`);
  const ask = async <T>(request: SideRequest): Promise<T> => {
    child.send(request);
    const [answer] = (await once(child, 'message')) as [T];
    return answer;
  };
  return { ask, child };
}

const shuffled = (): [SideName, SideName] => (Math.random() < 0.5 ? ['bare', 'core'] : ['core', 'bare']);

async function runEra(
  era: Era,
  opts: { connectRounds?: number; blocks?: number; block?: number; burst?: number; burstRounds?: number } = {},
): Promise<Record<string, number>> {
  const { connectRounds = 9, blocks = 40, block = 25, burst = 1000, burstRounds = 10 } = opts;
  const server = await startServer(era);
  const sides: Partial<Record<SideName, Awaited<ReturnType<typeof startSide>>>> = {};
  const connects: Record<SideName, number[]> = { bare: [], core: [] };
  const calls: Record<SideName, number[]> = { bare: [], core: [] };
  const rates: Record<SideName, number[]> = { bare: [], core: [] };
  try {
    sides.bare = await startSide(server.url, 'bare');
    sides.core = await startSide(server.url, 'core');
    const ask = <T>(side: SideName, request: SideRequest) => sides[side]!.ask<T>(request);
    // Warm-up (JIT, connection pools), untimed: sequential calls and one burst each.
    for (const side of ['bare', 'core'] as const) {
      await ask(side, { op: 'seq', n: 200 });
      await ask(side, { op: 'burst', n: burst });
    }
    for (let i = 0; i < connectRounds; i++) for (const side of shuffled()) connects[side].push(await ask<number>(side, { op: 'connect' }));
    for (let i = 0; i < blocks; i++) for (const side of shuffled()) calls[side].push(...(await ask<number[]>(side, { op: 'seq', n: block })));
    for (let i = 0; i < burstRounds; i++) for (const side of shuffled()) rates[side].push(await ask<number>(side, { op: 'burst', n: burst }));
  } finally {
    for (const side of Object.values(sides)) {
      side.child.send({ op: 'exit' } satisfies SideRequest);
      await Promise.race([once(side.child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
      side.child.kill();
    }
    server.child.kill();
  }
  const m = (side: SideName, values: Record<SideName, number[]>) => median(values[side]);
  const n = blocks * block;
  return {
    'connect+listTools bare SDK (ms, median)': m('bare', connects),
    'connect+listTools Switchboard (ms, median)': m('core', connects),
    'connect+listTools ratio': m('core', connects) / m('bare', connects),
    [`echo bare SDK (ms, median of ${n})`]: m('bare', calls),
    [`echo Switchboard callTool + history (ms, median of ${n})`]: m('core', calls),
    'call latency ratio (target <= 1.10)': m('core', calls) / m('bare', calls),
    [`${burst} concurrent echo bare SDK (calls/s, median of ${burstRounds})`]: m('bare', rates),
    [`${burst} concurrent echo Switchboard (calls/s, median of ${burstRounds})`]: m('core', rates),
    'concurrent throughput ratio (target >= 0.95)': m('core', rates) / m('bare', rates),
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
