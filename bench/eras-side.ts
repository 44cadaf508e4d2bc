import { on } from 'node:events';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { CLIENT_CAPABILITIES } from '../electron/core/client-features';
import type { CallToolResponse, ServerView } from '../shared/contract';
import { withCore } from './stdio.bench';

// One side of the eras bench (bench/eras.bench.ts) in a process of its own: a bare SDK v2
// client, or Switchboard's core, as each runs in real life. The bench drives both sides over
// IPC, one at a time, alternating, against the same server process.
//   node --import tsx bench/eras-side.ts <url> bare|core
// Messages in: { op: 'connect' } → ms; { op: 'seq', n } → ms per call; { op: 'burst', n } → calls/s.

export type SideRequest = { op: 'connect' } | { op: 'seq'; n: number } | { op: 'burst'; n: number } | { op: 'exit' };

interface Side {
  /** A fresh connection and its tools list: ms (what comes before and after is not timed). */
  connect(): Promise<number>;
  echo(message: string): Promise<unknown>;
  /** After a burst, outside the timing: the recording the core queued while the burst ran. */
  settle(): Promise<void>;
}

const [url, which] = process.argv.slice(2) as [string, 'bare' | 'core'];
const send = (value: unknown) => process.send!(value);

async function bareSide(): Promise<Side> {
  const make = async () => {
    // Declares what Switchboard declares and asks for progress like it: the server does the same work for both.
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' }, capabilities: structuredClone(CLIENT_CAPABILITIES) });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    await client.listTools();
    return client;
  };
  const client = await make();
  // Like Switchboard, it listens for tool list changes where the server offers them (a 2026-07-28 server keeps the stream open).
  if (client.getNegotiatedProtocolVersion?.() === '2026-07-28' && client.getServerCapabilities()?.tools?.listChanged)
    await client.listen({ toolsListChanged: true });
  const onprogress = () => undefined;
  return {
    connect: async () => {
      const t = performance.now();
      const fresh = await make();
      const ms = performance.now() - t;
      await fresh.close();
      return ms;
    },
    echo: (message) => client.callTool({ name: 'echo', arguments: { message } }, { onprogress }),
    settle: async () => undefined,
  };
}

async function serve(side: Side): Promise<void> {
  let seq = 0;
  send({ ready: true });
  for await (const [request] of on(process, 'message') as AsyncIterable<[SideRequest]>) {
    if (request.op === 'exit') return;
    if (request.op === 'connect') send(await side.connect());
    else if (request.op === 'seq') {
      const times: number[] = [];
      for (let i = 0; i < request.n; i++) {
        const t = performance.now();
        await side.echo(`m${seq++}`);
        times.push(performance.now() - t);
      }
      send(times);
    } else {
      const t = performance.now();
      await Promise.all(Array.from({ length: request.n }, () => side.echo(`b${seq++}`)));
      const rate = request.n / ((performance.now() - t) / 1000);
      await side.settle();
      send(rate);
    }
  }
}

if (which === 'bare') {
  await serve(await bareSide());
  process.exit(0);
} else {
  await withCore(async (core) => {
    const call = async <T>(method: string, request: unknown): Promise<T> => {
      const envelope = await core.dispatch(method, request);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
      return envelope.value as T;
    };
    const { server } = await call<{ server: ServerView }>('addServer', { config: { transport: 'http', name: 'bench', url } });
    const serverId = server.id;
    const connect = async () => {
      await call('connectServer', { serverId });
      await call('listTools', { serverId });
    };
    await connect();
    let callId = 0;
    await serve({
      connect: async () => {
        // The standing connection makes way for a fresh one, timed like the bare client's.
        await call('disconnectServer', { serverId });
        const t = performance.now();
        await connect();
        return performance.now() - t;
      },
      echo: async (message) => {
        const res = await call<CallToolResponse>('callTool', { serverId, tool: 'echo', arguments: { message }, callId: `eras-${callId++}` });
        if (res.status !== 'ok') throw new Error(`echo failed: ${res.error?.message}`);
      },
      settle: async () => {
        await call('queryHistory', { limit: 1 });
        await call('listTraffic', { serverId, limit: 1 });
      },
    });
  });
  process.exit(0);
}
