import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import type { Core } from '../electron/core/app-core';
import type { CallToolResponse } from '../shared/contract';
import { addEverything, EVERYTHING, median, withCore } from './stdio.bench';

// CPU time of this process per call, 1000 concurrent echo calls: steadier than
// wall time on a shared machine, and it splits the cost by layer. Each layer
// runs the same burst; rounds alternate so drift hits every layer alike.
// Run: npx tsx bench/run.ts cpu

async function call<T>(core: Core, method: string, request: unknown): Promise<T> {
  const envelope = await core.dispatch(method, request);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
  return envelope.value as T;
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export async function runCpuPerCall(calls = 1000, rounds = 9): Promise<Record<string, number>> {
  const per: Record<string, number[]> = { bare: [], client: [], callTool: [], recording: [] };
  await withCore(async (core) => {
    const id = await addEverything(core);
    await call(core, 'connectServer', { serverId: id });
    const bare = new Client({ name: 'bench', version: '1' });
    await bare.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'pipe' }));
    let seq = 0;
    const flush = async () => {
      await call(core, 'queryHistory', { limit: 1 });
      await call(core, 'listTraffic', { serverId: id, limit: 1 });
    };
    const layers: Record<string, () => Promise<unknown>> = {
      bare: () => Promise.all(Array.from({ length: calls }, (_, i) => bare.callTool({ name: 'echo', arguments: { message: `m${i}` } }))),
      // The core's own client and transport (traffic recording on), no inspector.
      client: () => Promise.all(Array.from({ length: calls }, (_, i) => core.servers.client(id).callTool({ name: 'echo', arguments: { message: `m${i}` } }))),
      // Through IPC dispatch and the inspector's callTool; recording queued, not yet done.
      callTool: () =>
        Promise.all(
          Array.from({ length: calls }, async (_, i) => {
            const res = await call<CallToolResponse>(core, 'callTool', { serverId: id, tool: 'echo', arguments: { message: `m${i}` }, callId: `cpu-${seq++}` });
            if (res.status !== 'ok') throw new Error(`echo failed: ${res.error?.message}`);
          }),
        ),
    };
    try {
      for (let r = 0; r < rounds + 2; r++) {
        for (const name of Object.keys(layers).sort(() => Math.random() - 0.5)) {
          await flush();
          const c = cpuMicros();
          await layers[name]!();
          if (r >= 2) per[name]!.push((cpuMicros() - c) / calls);
          // History and traffic recording of what the layer queued, timed apart.
          const f = cpuMicros();
          await flush();
          if (r >= 2 && name === 'callTool') per.recording!.push((cpuMicros() - f) / calls);
        }
      }
    } finally {
      await bare.close();
    }
  });
  return {
    'bare SDK client (µs CPU per call, median)': median(per.bare!),
    'core client + transport, recording queued (µs)': median(per.client!),
    'dispatch callTool, recording queued (µs)': median(per.callTool!),
    'history + traffic recording after the burst (µs)': median(per.recording!),
    'callTool / bare': median(per.callTool!) / median(per.bare!),
  };
}

/**
 * Our layers alone: the server's answer is stubbed (resolved at once), so no
 * pipe, child process or scheduler noise is left, only the CPU of IPC dispatch
 * and the tools feature, and the young-generation GCs their allocations cause
 * (a steady proxy for bytes allocated on the call path). Recording drains
 * between bursts and is not counted.
 */
export async function runLayerOverhead(calls = 1000, rounds = 40): Promise<Record<string, number>> {
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const per: Record<string, number[]> = { tools: [], dispatch: [] };
  const scavenges: Record<string, number> = { tools: 0, dispatch: 0 };
  let counting: string | undefined;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (counting && (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges[counting]!++;
  });
  gc.observe({ entryTypes: ['gc'] });
  await withCore(async (core) => {
    const id = await addEverything(core);
    await call(core, 'connectServer', { serverId: id });
    const client = core.servers.client(id);
    const answer = (req: { params: { arguments: { message: string } } }) =>
      Promise.resolve({ content: [{ type: 'text', text: `Echo: ${req.params.arguments.message}` }] });
    (client as unknown as { request: typeof answer }).request = answer;
    let seq = 0;
    const layers: Record<string, () => Promise<unknown>> = {
      tools: () =>
        Promise.all(
          Array.from({ length: calls }, (_, i) =>
            core.tools.callTool({
              serverId: id,
              tool: 'echo',
              arguments: { message: `m${i}` },
              callId: `l-${seq++}`,
              timeoutMs: 60_000,
              skipValidation: false,
            }),
          ),
        ),
      dispatch: () =>
        Promise.all(
          Array.from({ length: calls }, (_, i) =>
            call(core, 'callTool', { serverId: id, tool: 'echo', arguments: { message: `m${i}` }, callId: `l-${seq++}` }),
          ),
        ),
    };
    for (let r = 0; r < rounds + 5; r++) {
      for (const name of Object.keys(layers).sort(() => Math.random() - 0.5)) {
        await call(core, 'queryHistory', { limit: 1 });
        // Let the GC entries of the drain arrive before counting starts.
        await new Promise((resolve) => setImmediate(resolve));
        const c = cpuMicros();
        counting = r >= 5 ? name : undefined;
        await layers[name]!();
        if (r >= 5) per[name]!.push((cpuMicros() - c) / calls);
        await new Promise((resolve) => setImmediate(resolve));
        counting = undefined;
      }
    }
  });
  gc.disconnect();
  return {
    'tools callTool, server stubbed (µs CPU per call, median)': median(per.tools!),
    'dispatch callTool, server stubbed (µs CPU per call, median)': median(per.dispatch!),
    'dispatch callTool, server stubbed (µs CPU per call, lowest round)': Math.min(...per.dispatch!),
    'young-gen GCs per 1000 tools calls': (scavenges.tools! * 1000) / (calls * rounds),
    'young-gen GCs per 1000 dispatch calls': (scavenges.dispatch! * 1000) / (calls * rounds),
  };
}
