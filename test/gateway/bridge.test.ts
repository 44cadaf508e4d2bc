import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, NOT_RUNNING, REVOKED } from '../../electron/core/gateway/bridge';
import { useCleanup } from '../helpers/cleanup';
import { waitFor } from '../helpers/core';
import { initializeBody, startGateway, type GatewaySetup, text } from '../helpers/gateway';

// The stdio bridge as Claude Desktop runs it: a child process speaking
// JSON-RPC lines, in front of a real gateway on a real core and a real stdio
// upstream. The SDK v2 stdio client transport plays Claude Desktop.

const ENTRY = join(import.meta.dirname, '../../electron/core/gateway/bridge-cli.ts');
const track = useCleanup();

async function setup(): Promise<GatewaySetup> {
  const g = await startGateway();
  track(g.t);
  return g;
}

function bridgeTransport(args: string[], env: Record<string, string>): { transport: StdioClientTransport; stderr: () => string } {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', ENTRY, ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return { transport, stderr: () => err };
}

async function connect(url: string, token: string): Promise<{ client: Client; stderr: () => string }> {
  const { transport, stderr } = bridgeTransport(['--server-url', url], { SWITCHBOARD_GATEWAY_TOKEN: token });
  const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
  await client.connect(transport);
  track({ close: () => client.close() });
  return { client, stderr };
}

/** Runs the bridge to its exit (it refuses to start). */
function runToExit(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('stdio bridge', () => {
  it('lists and calls tools, forwards progress and cancellation', async () => {
    const g = await setup();
    const { client } = await connect(g.url.href, g.token);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'through the bridge' } }))).toBe('Echo: through the bridge');

    const progress: { progress: number; message?: string }[] = [];
    expect(text(await client.callTool({ name: 'slow', arguments: { ms: 50 } }, { onprogress: (p) => progress.push(p) }))).toBe('done');
    expect(progress).toEqual([expect.objectContaining({ progress: 1, message: 'half way' })]);

    const controller = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, { signal: controller.signal });
    await waitFor(() => g.t.core.tools.busy(), 10_000, 'the call to reach the upstream');
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitFor(() => g.t.core.servers.getLog(g.serverId).some((l) => l.text.includes('slow: cancelled')), 10_000, 'the upstream to see the cancellation');

    // The call is in History under the gateway client's name, like any direct client's.
    const history = await g.t.call('queryHistory', { client: 'Test Client' });
    expect(history.records.length).toBeGreaterThanOrEqual(2);
  });

  it('a wrong or revoked token gets a clear error', async () => {
    const g = await setup();
    const wrong = await connect(g.url.href, 'sbg_wrong-token').catch((e: Error) => e);
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toContain(REVOKED);

    const { client, stderr } = await connect(g.url.href, g.token);
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    await expect(client.callTool({ name: 'echo', arguments: { message: 'after revoke' } })).rejects.toThrow(REVOKED);
    await waitFor(() => stderr().includes(REVOKED), 5000, 'the bridge to say it on stderr');
    expect(stderr()).not.toContain(g.token);
  });

  it('says Switchboard is not running when the gateway is off or the core is gone', async () => {
    const g = await setup();
    const { client, stderr } = await connect(g.url.href, g.token);
    // A call in flight when the gateway goes away gets an answer too, also once its answer is streaming (progress came).
    let progressed = false;
    const inFlight = client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, { onprogress: () => (progressed = true) });
    await waitFor(() => progressed, 10_000, 'the call to stream its progress');
    await g.t.call('setGatewayEnabled', { enabled: false });
    await expect(inFlight).rejects.toThrow(NOT_RUNNING);
    await expect(client.callTool({ name: 'echo', arguments: { message: 'off' } })).rejects.toThrow(NOT_RUNNING);
    await waitFor(() => stderr().includes(NOT_RUNNING), 5000, 'the bridge to say it on stderr');

    // Never connected: the handshake itself fails with the same message.
    const h = await setup();
    const url = h.url.href;
    await h.t.core.shutdown();
    const gone = await connect(url, h.token).catch((e: Error) => e);
    expect((gone as Error).message).toContain(NOT_RUNNING);
  });

  it('refuses a token on the command line and a URL that is not a loopback gateway endpoint', async () => {
    const url = 'http://127.0.0.1:9/s/abc/mcp';
    const inArgs = await runToExit(['--server-url', url, '--token', 'sbg_abcdefghijklmnop'], {});
    expect(inArgs.code).toBe(2);
    expect(inArgs.stderr).toContain('SWITCHBOARD_GATEWAY_TOKEN environment variable');
    expect(inArgs.stderr).not.toContain('sbg_abcdefghijklmnop');

    for (const bad of [
      'http://attacker.example:80/s/abc/mcp',
      'https://127.0.0.1:9/s/abc/mcp',
      'http://127.0.0.1:9/other',
      'http://user:pw@127.0.0.1:9/s/abc/mcp',
      'http://127.0.0.1:9/mcpx',
      'http://127.0.0.1:9/x/mcp',
      'http://127.0.0.1:9/s/mcp',
    ]) {
      const refused = await runToExit(['--server-url', bad], { SWITCHBOARD_GATEWAY_TOKEN: 'sbg_x' });
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr, bad).toContain('must be a Switchboard gateway endpoint on this machine');
    }
    const noToken = await runToExit(['--server-url', url], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('SWITCHBOARD_GATEWAY_TOKEN is not set');
  }, 120_000); // nine bridge processes, each starting tsx

  it('drops a line longer than its bound with an error, and goes on with the next message', async () => {
    const g = await setup();
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--server-url', g.url.href], {
      env: { PATH: process.env.PATH ?? '', SWITCHBOARD_GATEWAY_TOKEN: g.token },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track({ close: () => void child.kill() });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stdin.write(`{"jsonrpc":"2.0","id":7,"method":"ping","params":{"pad":"${'x'.repeat(MAX_LINE_BYTES + 10)}"}}\n`);
    child.stdin.write(`${initializeBody}\n`);
    await waitFor(() => out.split('\n').filter(Boolean).length >= 2, 15_000, 'two answers');
    const [tooLarge, initialized] = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: unknown; error?: { message: string }; result?: unknown });
    expect(tooLarge).toMatchObject({ id: null, error: { message: expect.stringContaining('too large') } });
    expect(initialized).toMatchObject({ id: 1, result: { serverInfo: expect.anything() } });
  });
});
