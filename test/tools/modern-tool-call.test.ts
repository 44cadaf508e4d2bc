import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localhostHostValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { useCleanup } from '../helpers/cleanup';
import { firstText, startTestCore } from '../helpers/core';

// A tool call on a 2026-07-28 connection carries the Mcp-Param-* headers the
// tool's schema asks for (SEP-2243): a conforming server refuses the call
// without them (HTTP 400, -32020 HeaderMismatch).

const track = useCleanup();

async function startModernServer(): Promise<{ url: string; seen: Record<string, string | undefined>[]; dropped: string[]; close(): Promise<void> }> {
  const seen: Record<string, string | undefined>[] = [];
  const dropped: string[] = [];
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'modern-headers', version: '1.0.0' });
    server.registerTool(
      'where',
      { description: 'Say the region', inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }) }) },
      async ({ region }) => ({ content: [{ type: 'text', text: `region ${region}` }] }),
    );
    server.registerTool('wait', { description: 'Never answers', inputSchema: z.object({}) }, () => new Promise<never>(() => undefined));
    return server;
  });
  const node = toNodeHandler(handler);
  const validHost = localhostHostValidation();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST')
      seen.push({ method: req.headers['mcp-method'] as string | undefined, region: req.headers['mcp-param-region'] as string | undefined });
    // A POST whose connection closed before its answer: how a 2026-07-28 client cancels a request.
    res.on('close', () => {
      if (!res.writableEnded) dropped.push(String(req.headers['mcp-method']));
    });
    if (!validHost(req, res)) return;
    void node(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    dropped,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

describe('tool calls on a 2026-07-28 server', () => {
  it('mirror x-mcp-header arguments into Mcp-Param-* headers, so the server accepts the call', async () => {
    const mcp = await startModernServer();
    track(mcp);
    const t = track(startTestCore());
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Modern', url: mcp.url } });
    expect((await t.call('connectServer', { serverId: server.id })).server.status.state).toBe('connected');
    const res = await t.call('callTool', { serverId: server.id, tool: 'where', arguments: { region: 'us-west1' }, callId: 'm1' });
    expect(res.error).toBeUndefined();
    expect(res.status).toBe('ok');
    expect(firstText(res)).toBe('region us-west1');
    expect(mcp.seen.find((h) => h.method === 'tools/call')?.region).toBe('us-west1');
  });

  it('cancelling a call closes its POST (the 2026-07-28 way to cancel), and the next call still goes through', async () => {
    const mcp = await startModernServer();
    track(mcp);
    const t = track(startTestCore());
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Modern', url: mcp.url } });
    await t.call('connectServer', { serverId: server.id });
    const pending = t.call('callTool', { serverId: server.id, tool: 'wait', arguments: {}, callId: 'w1' });
    for (let i = 0; i < 200 && !mcp.seen.some((h) => h.method === 'tools/call'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await t.call('cancelToolCall', { callId: 'w1' })).toEqual({ cancelled: true });
    expect((await pending).status).toBe('cancelled');
    for (let i = 0; i < 200 && !mcp.dropped.includes('tools/call'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(mcp.dropped).toContain('tools/call');
    const res = await t.call('callTool', { serverId: server.id, tool: 'where', arguments: { region: 'eu' }, callId: 'w2' });
    expect(res.status).toBe('ok');
  });
});
