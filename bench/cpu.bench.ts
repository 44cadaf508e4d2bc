import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
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
