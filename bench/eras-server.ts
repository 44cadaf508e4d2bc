import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localhostHostValidation, NodeStreamableHTTPServerTransport, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';

// The peer for bench/eras.bench.ts, in its own process so its CPU is not the
// bench's: an echo tool on 127.0.0.1, served either the 2026-07-28 way
// (createMcpHandler: stateless, per-request factory) or the 2025 way (a
// stateful NodeStreamableHTTPServerTransport session per client).
// Prints the MCP URL on stdout, then serves until killed.

function echoServer(): McpServer {
  const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echo', inputSchema: z.object({ message: z.string() }) }, async ({ message }) => ({
    content: [{ type: 'text', text: `Echo: ${message}` }],
  }));
  return server;
}

function modern(): http.RequestListener {
  const handle = toNodeHandler(createMcpHandler(() => echoServer()));
  const validHost = localhostHostValidation();
  return (req, res) => {
    if (validHost(req, res)) void handle(req, res);
  };
}

function legacy(): http.RequestListener {
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  };
  return (req: IncomingMessage, res: ServerResponse) =>
    void (async () => {
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const sid = req.headers['mcp-session-id'];
      const existing = typeof sid === 'string' ? sessions.get(sid) : undefined;
      if (existing) return existing.handleRequest(req, res, body);
      if (typeof sid === 'string') return void res.writeHead(404).end();
      if (!body || typeof body !== 'object' || (body as { method?: unknown }).method !== 'initialize')
        return void res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'No session' }, id: null }));
      const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      await echoServer().connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
}

const era = process.argv[2];
if (era !== 'modern' && era !== 'legacy') throw new Error('usage: eras-server.ts modern|legacy');
const server = http.createServer(era === 'modern' ? modern() : legacy());
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp\n`));
