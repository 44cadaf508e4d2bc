import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { GatewayServerAccess, ServerView } from '../../shared/contract';
import { startTestCore, type TestCore } from './core';
import type { CoreOptions } from '../../electron/core/app-core';

// A core with the gateway on, one stdio upstream (test/fixtures/servers/gateway-upstream.mjs) and one client.

export const GATEWAY_UPSTREAM = join(import.meta.dirname, '../fixtures/servers/gateway-upstream.mjs');
export const UPSTREAM_SECRET = 'upstream-secret-value-9f3c2a';

export interface GatewaySetup {
  t: TestCore;
  serverId: string;
  /** http://127.0.0.1:<port> */
  address: string;
  url: URL;
  clientId: string;
  token: string;
}

export async function startGateway(
  access: Partial<Omit<GatewayServerAccess, 'serverId'>> = {},
  options: CoreOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<GatewaySetup> {
  const t = startTestCore(options);
  const server = await addUpstream(t);
  const view = await t.call('setGatewayEnabled', { enabled: true });
  if (!view.address) throw new Error(`gateway did not start: ${view.error}`);
  const { client, token } = await t.call('createGatewayClient', {
    name: 'Test Client',
    servers: [{ serverId: server.id, allow: [], deny: [], hideDestructive: false, ...access }],
  });
  return { t, serverId: server.id, address: view.address, url: new URL(`${view.address}/s/${server.id}/mcp`), clientId: client.id, token };
}

/** Adds the gateway-upstream fixture (its secret env set), approves it and waits until it is connected. */
export async function addUpstream(t: TestCore): Promise<ServerView> {
  const { server } = await t.call('addServer', {
    config: {
      transport: 'stdio',
      name: 'Upstream',
      command: process.execPath,
      args: [GATEWAY_UPSTREAM],
      env: [{ name: 'UPSTREAM_SECRET', value: UPSTREAM_SECRET, secret: true }],
    },
  });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server;
}

/** A second gateway client ('Other Client') with the same access to the upstream. */
export function addOtherClient(g: GatewaySetup) {
  return g.t.call('createGatewayClient', {
    name: 'Other Client',
    servers: [{ serverId: g.serverId, allow: [], deny: [], hideDestructive: false }],
  });
}

/** Waits for the upstream's question in Switchboard's own dialog and answers it there with `content`; returns the request shown. */
export async function answerInDialog(g: GatewaySetup, content: Record<string, unknown>) {
  const request = await g.t.waitForEvent('clientRequest', (r) => r.serverId === g.serverId);
  await g.t.call('answerElicitation', { requestId: request.requestId, action: 'accept', content });
  return request;
}

/** The first text content of a tool result ('' when there is none). */
export const text = (result: unknown): string => (result as { content: { text?: string }[] }).content[0]?.text ?? '';

/** An SDK v2 client connected through the gateway with a bearer token. */
export async function connectV2(url: URL, token: string | undefined, mode?: 'auto'): Promise<Client> {
  const client = new Client({ name: 'gateway-test-v2', version: '1.0.0' }, mode ? { versionNegotiation: { mode } } : {});
  await client.connect(new StreamableHTTPClientTransport(url, token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}));
  return client;
}

/** A raw HTTP request (node:http, so Host and Origin can be anything). */
export function rawPost(
  address: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(address);
  // An empty header value means: do not send it (a body without Content-Length goes chunked).
  const sent = Object.fromEntries(
    Object.entries({
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    }).filter(([, v]) => v !== ''),
  );
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(url.port),
        path,
        method: 'POST',
        headers: sent,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
