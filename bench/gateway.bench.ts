import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { Server } from '@modelcontextprotocol/server';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../electron/core/app-core';
import { createConfStore } from '../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../electron/core/node-ports/keyfile-cipher';
import type { GatewayView, ServerView } from '../shared/contract';
import { EVERYTHING, median, pairedMedians } from './stdio.bench';

// The gateway against calling the upstream directly (a bare SDK client on its
// own server-everything process), same run: one call's latency, 1,000 calls at
// once, and the core's memory with 20 gateway clients connected. A second
// baseline is the least any SDK-built HTTP gateway pays: a bare SDK proxy in
// this process (2025 sessions, tools/call forwarded to its own stdio client),
// so the ratio against it is Switchboard's own overhead.

/** A bare proxy: SDK Streamable HTTP server sessions forwarding tools/call to a bare SDK stdio client. */
async function bareProxy(upstream: Client): Promise<{ url: URL; close: () => Promise<void> }> {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    const ready = transport
      ? Promise.resolve()
      : (() => {
          const sid = randomUUID();
          const t = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => sid });
          sessions.set(sid, t);
          transport = t;
          const server = new Server({ name: 'bare', version: '1' }, { capabilities: { tools: {} } });
          server.setRequestHandler('tools/list', (r, ctx) => upstream.listTools(r.params, { signal: ctx.mcpReq.signal }));
          server.setRequestHandler('tools/call', (r, ctx) => upstream.callTool(r.params, { signal: ctx.mcpReq.signal }) as Promise<{ content: [] }>);
          return server.connect(t);
        })();
    void ready.then(() => transport!.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`),
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

export async function runGatewayBench(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-gw-'));
  const core = createCore(
    { cipher: createKeyfileCipher(join(dataDir, 'k')), store: createConfStore(dataDir), browser: { open: async () => undefined }, dataDir, env: process.env },
    // A burst of 1,000 calls plus the session's own GET stream.
    { gatewayLimits: { maxOpenPerClient: 1100 } },
  );
  const call = async <T>(method: string, request: unknown): Promise<T> => {
    const envelope = await core.dispatch(method, request);
    if (!envelope.ok) throw new Error(envelope.error.message);
    return envelope.value as T;
  };
  const clients: Client[] = [];
  let bare: Awaited<ReturnType<typeof bareProxy>> | undefined;
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
    const bareUpstream = new Client({ name: 'bare-upstream', version: '1' });
    await bareUpstream.connect(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING, 'stdio'], stderr: 'pipe' }));
    clients.push(bareUpstream);
    bare = await bareProxy(bareUpstream);
    const viaBare = new Client({ name: 'bare', version: '1' });
    await viaBare.connect(new StreamableHTTPClientTransport(bare.url));
    clients.push(viaBare);

    let i = 0;
    const [directMs, gatewayMs] = await pairedMedians(
      () => direct.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      () => viaGateway.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      500,
      200,
    );
    const [bareMs, gatewayMs2] = await pairedMedians(
      () => viaBare.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      () => viaGateway.callTool({ name: 'echo', arguments: { message: `m${i++}` } }),
      500,
      200,
    );

    // Failed calls are counted, not thrown: the figure says how many of the 1,000 did not complete.
    let failed = 0;
    const reasons = new Map<string, number>();
    const burst = async (client: Client, label: string) => {
      const start = performance.now();
      const settled = await Promise.allSettled(Array.from({ length: 1000 }, (_, k) => client.callTool({ name: 'echo', arguments: { message: `b${k}` } })));
      const ok = settled.filter((s) => s.status === 'fulfilled').length;
      failed += 1000 - ok;
      for (const s of settled) {
        if (s.status === 'fulfilled') continue;
        const error = s.reason as { message?: string; cause?: { code?: string; message?: string } };
        const reason = `${label}: ${error.message ?? String(error)}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
      return ok / ((performance.now() - start) / 1000);
    };
    const directRates: number[] = [];
    const gatewayRates: number[] = [];
    const bareRates: number[] = [];
    for (let round = 0; round < 3; round++) {
      directRates.push(await burst(direct, 'direct'));
      gatewayRates.push(await burst(viaGateway, 'gateway'));
      bareRates.push(await burst(viaBare, 'bare proxy'));
    }
    // Why calls failed (stderr: the figures stay numbers).
    for (const [reason, n] of reasons) console.error(`failed ${n}x: ${reason.slice(0, 300)}`);

    // Memory: the bench's own clients and the bare proxy go; 20 clients connect from another process.
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await bare.close();
    bare = undefined;
    const tokens: string[] = [];
    for (let k = 0; k < 20; k++)
      tokens.push((await call<{ token: string }>('createGatewayClient', { name: `client ${k}`, servers: [{ serverId: server.id }] })).token);
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'gateway-clients.ts')], {
      env: { ...process.env, GATEWAY_URL: url.href, GATEWAY_TOKENS: JSON.stringify(tokens) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`gateway clients exited with ${code}`)));
    });
    const connected = (await call<GatewayView>('getGateway', {})).clients.filter((c) => c.sessions > 0).length;
    global.gc?.();
    const rss = process.memoryUsage().rss / 1024 / 1024;
    const heap = process.memoryUsage().heapUsed / 1024 / 1024;
    child.stdin!.end();
    await new Promise((resolve) => child.once('exit', resolve));

    return {
      'echo direct (ms, median of 500)': directMs,
      'echo through the gateway (ms, median of 500)': gatewayMs,
      'latency ratio (target <= 1.15)': gatewayMs / directMs,
      '1,000 concurrent direct (calls/s, median of 3)': median(directRates),
      '1,000 concurrent through the gateway (calls/s, median of 3)': median(gatewayRates),
      'throughput ratio (target >= 0.85)': median(gatewayRates) / median(directRates),
      'echo through a bare SDK HTTP proxy (ms, median of 500)': bareMs,
      'latency ratio against the bare proxy (Switchboard’s own overhead)': gatewayMs2 / bareMs,
      '1,000 concurrent through the bare proxy (calls/s, median of 3)': median(bareRates),
      'throughput ratio against the bare proxy': median(gatewayRates) / median(bareRates),
      'calls that failed in the nine bursts (of 9,000)': failed,
      'gateway clients with an open session during the memory figure': connected,
      'core process RSS with 20 gateway clients connected (MB; the clients in another process)': rss,
      'core process heap with 20 gateway clients connected (MB, after a full collection)': heap,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await bare?.close();
    await core.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
