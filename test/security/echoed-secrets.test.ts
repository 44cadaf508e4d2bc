import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { startAuthorizationServer } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer } from '../fixtures/auth/protected-mcp-server';
import { HISTORY_DIR } from '../../electron/core/history';
import { firstText, startTestCore, waitFor, type TestCore } from '../helpers/core';
import { startSdkServer } from '../fixtures/remote/servers';
import { useCleanup } from '../helpers/cleanup';
import { z } from 'zod';

// Attack family: a server that echoes or logs the secret Switchboard injected
// into it (its API key in an env var or header). Pattern redaction cannot
// recognise an arbitrary value; the core knows the exact values it injected
// and scrubs them from the server's log, traffic, history (memory and disk)
// and from everything the renderer is sent.

const ECHO_SERVER = join(import.meta.dirname, '../fixtures/servers/echo-secret.mjs');
// Deliberately shapeless: no prefix, no "key=" around it, so only the known-secret scrub can catch it.
const SECRET = 'plain echo value 314159';
const FORMS = [SECRET, encodeURIComponent(SECRET), Buffer.from(`user:${SECRET}`).toString('base64').slice(8, 32)];

const track = useCleanup();

async function historyOnDisk(dataDir: string): Promise<string> {
  const dir = join(dataDir, HISTORY_DIR);
  const files = await readdir(dir);
  return (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
}

function expectNoSecret(where: string, value: unknown, forms = FORMS): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const form of forms) expect(text, `${where} contains the secret (${form})`).not.toContain(form);
}

/**
 * Everything kept about a server: what the recording points stored (read from
 * the core directly, so the scrub at the IPC boundary cannot hide a miss), and
 * everything the renderer can read through the real IPC dispatch.
 */
async function everythingShown(core: TestCore, serverId: string): Promise<Record<string, unknown>> {
  const { records } = await core.call('queryHistory', {});
  core.core.traffic.drain();
  return {
    storedLog: core.core.servers.getLog(serverId),
    storedTraffic: core.core.traffic.list(serverId),
    storedHistory: await Promise.all(records.map((r) => core.core.history.store.get(r.id))),
    log: await core.call('getServerLog', { serverId: serverId }),
    traffic: await core.call('listTraffic', { serverId }),
    history: records,
    historyRecords: await Promise.all(records.map((r) => core.call('getHistoryRecord', { id: r.id }))),
    historySearch: await core.call('queryHistory', { text: '314159' }),
    exported: await core.call('exportHistory', {}),
    messages: await core.call('getServerMessages', { serverId }),
    servers: await core.call('listServers', {}),
    events: core.events,
  };
}

describe('a server that echoes the secret it was given', () => {
  it('a stdio server that prints, returns and logs its secret env value cannot get it into the log, traffic, history or the renderer', async () => {
    const core = track(startTestCore());
    const { server } = await core.call('addServer', {
      config: {
        transport: 'stdio',
        name: 'echo-secret',
        command: process.execPath,
        args: [ECHO_SERVER, 'ECHO_SECRET'],
        env: [{ name: 'ECHO_SECRET', secret: true, value: SECRET }],
      },
    });
    await core.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    await core.call('connectServer', { serverId: server.id });

    const leak = await core.call('callTool', { serverId: server.id, tool: 'leak', arguments: { note: 'probe' }, callId: randomUUID() });
    const fail = await core.call('callTool', { serverId: server.id, tool: 'fail', arguments: {}, callId: randomUUID() });
    // The server really did echo: the placeholders are where the value was.
    expect(leak.status).toBe('ok');
    expect(firstText(leak)).toBe('the key is [redacted].');
    expect(leak.result?.structuredContent).toEqual({ value: '[redacted]' });
    expectNoSecret('the live tool result', leak);
    expectNoSecret('the live tool error', fail);
    expect(JSON.stringify(fail)).toContain('upstream rejected [redacted]');

    await waitFor(() => core.core.servers.getLog(server.id).some((l) => l.text.startsWith('leak called')), 5000, 'stderr line');
    await waitFor(() => core.core.serverMessages.get(server.id).messages.length >= 2, 5000, 'log notifications');
    await waitFor(() => core.events.some((e) => e.name === 'serverMessages'), 5000, 'serverMessages event');
    const shown = await everythingShown(core, server.id);
    expect(JSON.stringify(shown.log)).toContain(`ECHO_SECRET=[redacted]`);
    for (const [where, value] of Object.entries(shown)) expectNoSecret(where, value);

    await core.core.history.close(); // flushes the history file
    expectNoSecret('the history file on disk', await historyOnDisk(core.dataDir));
    // Nor does the value reach the settings file (it lives in the vault, encrypted).
    expectNoSecret('the settings file', await readFile(join(core.dataDir, 'settings.json'), 'utf8'));
  });

  it('a remote server that echoes its secret header cannot get it into the traffic, history or the renderer', async () => {
    const echo = track(await startHeaderEchoServer());
    const core = track(startTestCore());
    const { server } = await core.call('addServer', {
      config: { transport: 'http', name: 'echo-remote', url: echo.url, headers: [{ name: 'X-Upstream-Key', secret: true, value: SECRET }] },
    });
    const connected = await core.call('connectServer', { serverId: server.id });
    expect(connected.server.status.state).toBe('connected');
    const leak = await core.call('callTool', { serverId: server.id, tool: 'whoami', arguments: {}, callId: randomUUID() });
    expect(leak.status).toBe('ok');
    expect(firstText(leak)).toBe('you sent [redacted]');
    expect(echo.seen()).toContain(SECRET); // the header did reach the server

    const shown = await everythingShown(core, server.id);
    // The HTTP exchanges were recorded (with the echoed response header), and scrubbed.
    expect(JSON.stringify(shown.traffic)).toContain('x-echo-key');
    for (const [where, value] of Object.entries(shown)) expectNoSecret(where, value);
    await core.core.history.close();
    expectNoSecret('the history file on disk', await historyOnDisk(core.dataDir));
  });

  it('a remote server that echoes the OAuth access token and client secret cannot get them into the traffic, history or the renderer', async () => {
    const clientSecret = 'machine client secret 2718281828';
    const as = track(
      await startAuthorizationServer({
        configure: (c) => ({
          ...c,
          clients: [
            {
              client_id: 'machine',
              client_secret: clientSecret,
              grant_types: ['client_credentials'],
              redirect_uris: [],
              response_types: [],
              token_endpoint_auth_method: 'client_secret_basic',
            },
          ],
          features: { ...(c.features as Record<string, unknown>), clientCredentials: { enabled: true } },
        }),
      }),
    );
    const rs = track(await startProtectedMcpServer({ issuer: as.issuer }));
    const core = track(startTestCore());
    const { server } = await core.call('addServer', {
      config: { transport: 'http', name: 'Machine', url: rs.url, oauthClient: { clientId: 'machine', clientSecret, grantType: 'client_credentials' } },
    });
    await core.call('connectServer', { serverId: server.id });
    const { plan } = await core.call('prepareSignIn', { serverId: server.id });
    await core.call('completeSignIn', { planId: plan.planId });
    await core.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
    const accessToken = rs.authorizationHeaders.findLast((h) => h?.startsWith('Bearer '))!.slice('Bearer '.length);

    // The fixture's echo tool plays a server that reflects what it was authorised with.
    const res = await core.call('callTool', {
      serverId: server.id,
      tool: 'echo',
      arguments: { text: `token ${accessToken} secret ${clientSecret}` },
      callId: randomUUID(),
    });
    expect(res.status).toBe('ok');
    expect(firstText(res)).toBe('token [redacted] secret [redacted]');

    const forms = [accessToken, clientSecret, encodeURIComponent(clientSecret)];
    const shown = await everythingShown(core, server.id);
    expect(JSON.stringify(shown.traffic)).toContain('"phase":"token"');
    for (const [where, value] of Object.entries(shown)) expectNoSecret(where, value, forms);
    await core.core.history.close();
    expectNoSecret('the history file on disk', await historyOnDisk(core.dataDir), forms);
  });

  it('a new remote session after the server lost ours is logged by a prefix of its id, never the whole id', async () => {
    const sdk = track(await startSdkServer());
    const core = track(startTestCore());
    const { server } = await core.call('addServer', { config: { transport: 'http', name: 'sdk', url: sdk.url } });
    await core.call('connectServer', { serverId: server.id });
    await sdk.forgetSessions();
    const res = await core.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'hi' }, callId: randomUUID() });
    expect(res.status).toBe('ok');
    const ids = [...new Set(sdk.requests.map((r) => r.sessionId).filter((id): id is string => Boolean(id)))];
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const log = JSON.stringify(core.core.servers.getLog(server.id));
    expect(log).toContain('lost our session');
    for (const id of ids) expect(log).not.toContain(id);
    core.core.traffic.drain();
    for (const id of ids) expect(JSON.stringify(core.core.traffic.list(server.id))).not.toContain(id);
  });
});

/** A stateless Streamable HTTP MCP server on 127.0.0.1 that echoes the X-Upstream-Key header in a tool result and a response header. */
async function startHeaderEchoServer(): Promise<{ url: string; seen(): string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const httpServer = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const key = String(req.headers['x-upstream-key'] ?? '');
    seen.push(key);
    res.setHeader('x-echo-key', `your key: ${key}`);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const mcp = new McpServer({ name: 'header-echo', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Echoes the key header', inputSchema: z.object({}) }, async () => ({
      content: [{ type: 'text', text: `you sent ${key}` }],
    }));
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void transport.close());
    try {
      await mcp.connect(transport);
      await transport.handleRequest(req, res, text ? JSON.parse(text) : undefined);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  await new Promise<void>((done) => httpServer.listen(0, '127.0.0.1', done));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen: () => seen,
    close: () =>
      new Promise<void>((done) => {
        httpServer.closeAllConnections();
        httpServer.close(() => done());
      }),
  };
}
