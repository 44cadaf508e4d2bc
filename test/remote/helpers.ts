import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

// Real servers for the remote-transport tests. Everything binds 127.0.0.1 only.

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '../..');
const PRELOAD = join(HERE, 'fixtures', 'loopback-preload.mjs');
const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export interface Running {
  url: string;
  close(): Promise<void>;
}

export interface RunningEverything extends Running {
  /** Everything the server printed on stdout so far (its request log). */
  stdout(): string;
}

export function newClient(): Client {
  return new Client({ name: 'switchboard-test', version: '0.0.0' }, { capabilities: {} });
}

/**
 * server-everything in 'streamableHttp' (endpoint /mcp) or 'sse' (endpoint /sse) mode.
 * It calls app.listen(PORT) without a host (all interfaces), so we preload a module
 * that forces 127.0.0.1 and reports the ephemeral port.
 */
export async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<RunningEverything> {
  const child: ChildProcess = spawn(process.execPath, ['--import', PRELOAD, EVERYTHING, mode], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start: ${buf}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const m = /SWITCHBOARD_LISTENING (\S+) (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        if (m[1] !== '127.0.0.1') reject(new Error(`server-everything bound ${m[1]}`));
        else resolvePort(Number(m[2]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited ${code}: ${buf}`));
    });
  });
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}${mode === 'sse' ? '/sse' : '/mcp'}`,
    stdout: () => stdout,
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((done) => server.close(() => done()));
}

export interface RecordedRequest {
  method: string;
  sessionId?: string;
  protocolVersion?: string;
  rpcMethod?: string;
  status?: number;
}

export interface SdkServer extends Running {
  requests: RecordedRequest[];
  /** Forget every session (as after a server restart): later requests carrying an old id get 404. */
  forgetSessions(): Promise<void>;
  sessionCount(): number;
  /** Resolves once the client's standalone GET stream is open. */
  waitForGetStream(): Promise<void>;
  /** Answer every later initialize with HTTP 503. */
  refuseInitialize(): void;
}

/** A spec-following Streamable HTTP server built on the SDK (stateful, 404 for unknown sessions), recording every request. */
export async function startSdkServer(): Promise<SdkServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const requests: RecordedRequest[] = [];
  let refuseInit = false;
  const makeServer = () => {
    const server = new McpServer({ name: 'sdk-test-server', version: '1.0.0' });
    server.registerTool('echo', { description: 'Echo', inputSchema: { message: z.string() } }, async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
    return server;
  };
  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  };
  const httpServer = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const sid = req.headers['mcp-session-id'] as string | undefined;
    const record: RecordedRequest = { method: req.method ?? '', sessionId: sid, protocolVersion: req.headers['mcp-protocol-version'] as string | undefined };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    // SSE responses only finish when closed; record their status when the head is sent.
    const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
    res.writeHead = ((...a: unknown[]) => {
      record.status = a[0] as number;
      return writeHead(...a);
    }) as typeof res.writeHead;
    try {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      if (body && typeof body === 'object' && 'method' in body) record.rpcMethod = String((body as { method: unknown }).method);
      if (sid) {
        const transport = sessions.get(sid);
        if (!transport) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
          return;
        }
        await transport.handleRequest(req, res, body);
        return;
      }
      if (req.method !== 'POST' || record.rpcMethod !== 'initialize') {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No session' }, id: null }));
        return;
      }
      if (refuseInit) {
        res.writeHead(503).end();
        return;
      }
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      await makeServer().connect(transport);
      await transport.handleRequest(req, res, body);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  const port = await listen(httpServer);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    sessionCount: () => sessions.size,
    refuseInitialize: () => void (refuseInit = true),
    async waitForGetStream() {
      for (let i = 0; i < 100; i++) {
        if (requests.some((r) => r.method === 'GET' && r.status === 200)) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no GET stream');
    },
    async forgetSessions() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((t) => t.close().catch(() => undefined)));
    },
    async close() {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      await closeServer(httpServer);
    },
  };
}

/** A plain HTTP server that answers every request with `status` and the given body. */
export async function startPlainServer(status: number, contentType: string, body: string, extraHeaders: Record<string, string> = {}): Promise<Running & { hits: { method: string }[] }> {
  const hits: { method: string }[] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '' });
    req.resume();
    res.writeHead(status, { 'content-type': contentType, ...extraHeaders }).end(body);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/mcp`, hits, close: () => closeServer(server) };
}

/** A server that accepts connections and never answers. */
export async function startSilentServer(): Promise<Running> {
  const server = http.createServer((req) => void req.resume());
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => closeServer(server) };
}

/** A port on 127.0.0.1 with nothing listening (bound then released). */
export async function refusedPortUrl(): Promise<string> {
  const server = http.createServer();
  const port = await listen(server);
  await closeServer(server);
  return `http://127.0.0.1:${port}/mcp`;
}

/** An HTTPS server with a self-signed certificate for CN=localhost generated now with the openssl CLI. */
export async function startSelfSignedHttps(): Promise<Running & { certPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const port = await listen(server);
  return {
    url: `https://127.0.0.1:${port}/mcp`,
    certPath: cert,
    close: async () => {
      await closeServer(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
