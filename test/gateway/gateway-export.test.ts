import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it, vi } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startGateway, text } from '../helpers/gateway';

// The desktop hub's export through the gateway: each client gets the gateway
// entry in its own format, and what is written works as written: Claude Desktop's
// entry is run as Claude Desktop would run it (the bridge, token in env), an HTTP
// entry is used by an SDK client with the header from the file.

const track = useCleanup();

async function setup() {
  const home = track.tempDir('gateway-export-home-');
  const g = await startGateway({}, { env: { HOME: home, PATH: process.env.PATH } });
  track(g.t);
  const { targets } = await g.t.call('scanClientConfigs', {});
  const target = (client: string) => targets.find((t) => t.client === client)!.path;
  return { g, target };
}

describe('export through the gateway', () => {
  it('writes Claude Desktop the bridge with the token in env (only once confirmed), and the entry works as written', async () => {
    const { g, target } = await setup();
    const path = target('claude-desktop');
    const req = { path, serverIds: [g.serverId], gatewayClientId: g.clientId };
    const first = await g.t.call('previewClientExport', req);
    // Claude Desktop has no way to refer to a secret: the token needs the user's confirmation.
    expect(first.written).toEqual([]);
    expect(first.needsPlaintext).toEqual([expect.objectContaining({ key: `gateway:${g.serverId}:env:SWITCHBOARD_GATEWAY_TOKEN` })]);
    const confirmed = { ...req, plaintextConfirmed: [first.needsPlaintext[0]!.key] };
    const preview = await g.t.call('previewClientExport', confirmed);
    expect(preview.written).toEqual(['Upstream']);
    expect(JSON.stringify(preview.diff)).not.toContain(g.token);
    await g.t.call('writeClientExport', { ...confirmed, expectedHash: preview.expectedHash });

    const entry = JSON.parse(readFileSync(path, 'utf8')).mcpServers.Upstream as { command: string; args: string[]; env: Record<string, string> };
    expect(entry.args).toEqual(expect.arrayContaining(['--mcp-bridge', '--server-url', g.url.href]));
    expect(entry.args.join(' ')).not.toContain(g.token);
    expect(entry.env).toEqual({ SWITCHBOARD_GATEWAY_TOKEN: g.token });

    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: process.env.PATH ?? '', ...entry.env } }));
    track({ close: () => client.close() });
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'from the exported entry' } }))).toBe('Echo: from the exported entry');
  });

  it('writes HTTP clients an entry with the Authorization header, as a reference they resolve', async () => {
    const { g, target } = await setup();
    const cursorPath = target('cursor');
    const cursorReq = { path: cursorPath, serverIds: [g.serverId], gatewayClientId: g.clientId };
    const cursorPreview = await g.t.call('previewClientExport', cursorReq);
    expect(cursorPreview.needsPlaintext).toEqual([]);
    await g.t.call('writeClientExport', { ...cursorReq, expectedHash: cursorPreview.expectedHash });
    const cursorEntry = JSON.parse(readFileSync(cursorPath, 'utf8')).mcpServers.Upstream;
    expect(cursorEntry).toEqual({ url: g.url.href, headers: { Authorization: 'Bearer ${env:UPSTREAM_AUTHORIZATION}' } });
    expect(readFileSync(cursorPath, 'utf8')).not.toContain(g.token);

    const vscodePath = target('vscode');
    const vsReq = { path: vscodePath, serverIds: [g.serverId], gatewayClientId: g.clientId };
    const vsPreview = await g.t.call('previewClientExport', vsReq);
    await g.t.call('writeClientExport', { ...vsReq, expectedHash: vsPreview.expectedHash });
    const vs = JSON.parse(readFileSync(vscodePath, 'utf8')) as {
      servers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
      inputs: { id: string; password: boolean }[];
    };
    expect(vs.servers.Upstream).toMatchObject({ type: 'http', url: g.url.href });
    const [, inputId] = /^Bearer \$\{input:(.+)\}$/.exec(vs.servers.Upstream!.headers.Authorization!)!;
    expect(vs.inputs).toEqual([expect.objectContaining({ id: inputId, password: true })]);

    // What VS Code sends once the user answered its prompt with the token.
    const client = new Client({ name: 'vscode-stand-in', version: '1.0.0' });
    const headers = { Authorization: vs.servers.Upstream!.headers.Authorization!.replace(`\${input:${inputId}}`, g.token) };
    await client.connect(new StreamableHTTPClientTransport(new URL(vs.servers.Upstream!.url), { requestInit: { headers } }));
    track({ close: () => client.close() });
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'vscode' } }))).toBe('Echo: vscode');
  });

  it('needs the token in hand: 15 minutes after it was made, after a revoke, or for a server the client may not use, it refuses', async () => {
    const { g, target } = await setup();
    const path = target('cursor');
    await expect(g.t.call('previewClientExport', { path, serverIds: ['not-allowed'], gatewayClientId: g.clientId })).rejects.toThrow();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60_000);
      await expect(g.t.call('previewClientExport', { path, serverIds: [g.serverId], gatewayClientId: g.clientId })).rejects.toThrow(
        /no longer in hand.*Rotate the token/,
      );
      // Rotating puts a new token in hand (the old one stops working).
      await g.t.call('rotateGatewayToken', { id: g.clientId });
      expect((await g.t.call('previewClientExport', { path, serverIds: [g.serverId], gatewayClientId: g.clientId })).written).toEqual(['Upstream']);
    } finally {
      vi.useRealTimers();
    }
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    await expect(g.t.call('previewClientExport', { path, serverIds: [g.serverId], gatewayClientId: g.clientId })).rejects.toThrow(/no longer exists/);
  });
});
