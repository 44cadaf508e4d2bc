import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { text } from '../helpers/gateway';
import { startCombined } from '../helpers/gateway-combined';

// Export of a client with one combined endpoint: one entry, "Switchboard", for
// <address>/mcp, in each client's own format; used as written.

const track = useCleanup();

async function setup() {
  const home = track.tempDir('combined-export-home-');
  const g = await startCombined(
    [
      { name: 'Alpha', env: { LABEL: 'alpha', TOOLS: 'search' } },
      { name: 'Beta', env: { LABEL: 'beta', TOOLS: 'search' } },
    ],
    { env: { HOME: home, PATH: process.env.PATH } },
  );
  track(g.t);
  const { targets } = await g.t.call('scanClientConfigs', {});
  const target = (client: string) => targets.find((t) => t.client === client)!.path;
  return { g, target };
}

describe('export of a combined endpoint', () => {
  it('writes one HTTP entry for /mcp, and an SDK client reaches both servers through it', async () => {
    const { g, target } = await setup();
    const path = target('cursor');
    const req = { path, serverIds: g.ids, gatewayClientId: g.clientId };
    const preview = await g.t.call('previewClientExport', req);
    expect(preview.written).toEqual(['Switchboard']);
    await g.t.call('writeClientExport', { ...req, expectedHash: preview.expectedHash });
    const servers = JSON.parse(readFileSync(path, 'utf8')).mcpServers as Record<string, { url: string; headers: Record<string, string> }>;
    expect(Object.keys(servers)).toEqual(['Switchboard']);
    expect(servers.Switchboard!.url).toBe(g.url.href);
    expect(servers.Switchboard!.headers.Authorization).toMatch(/^Bearer \$\{env:[A-Z_]+\}$/);

    const client = new Client({ name: 'cursor-stand-in', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(servers.Switchboard!.url), { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }),
    );
    track({ close: () => client.close() });
    expect(text(await client.callTool({ name: 'beta__search', arguments: {} }))).toBe('beta:search');
  });

  it('writes Claude Desktop one bridge entry pointing at /mcp, which works as written', async () => {
    const { g, target } = await setup();
    const path = target('claude-desktop');
    const req = { path, serverIds: g.ids, gatewayClientId: g.clientId };
    const first = await g.t.call('previewClientExport', req);
    expect(first.needsPlaintext).toEqual([expect.objectContaining({ key: 'gateway:combined:env:SWITCHBOARD_GATEWAY_TOKEN', server: 'Switchboard' })]);
    const confirmed = { ...req, plaintextConfirmed: [first.needsPlaintext[0]!.key] };
    const preview = await g.t.call('previewClientExport', confirmed);
    expect(preview.written).toEqual(['Switchboard']);
    await g.t.call('writeClientExport', { ...confirmed, expectedHash: preview.expectedHash });
    const entry = JSON.parse(readFileSync(path, 'utf8')).mcpServers.Switchboard as { command: string; args: string[]; env: Record<string, string> };
    expect(entry.args).toEqual(expect.arrayContaining(['--mcp-bridge', '--server-url', g.url.href]));
    expect(entry.env).toEqual({ SWITCHBOARD_GATEWAY_TOKEN: g.token });

    const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: process.env.PATH ?? '', ...entry.env } }));
    track({ close: () => client.close() });
    expect(text(await client.callTool({ name: 'alpha__search', arguments: {} }))).toBe('alpha:search');
    expect(text(await client.callTool({ name: 'beta__search', arguments: {} }))).toBe('beta:search');
  });
});
