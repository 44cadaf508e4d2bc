import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { callTool, makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';

// Attack family: a program that can write the settings file moves an encrypted
// vault record from the key it was written for to another key, so that the app
// decrypts it and sends the secret somewhere the attacker chose.

const track = useCleanup();

/** An HTTP server on 127.0.0.1 that records every request's headers and answers 401. */
async function startRecorder(): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(401).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe('vault records bound to their key', () => {
  it("a stdio server's secret env value pasted in as another server's secret header is refused, reported, and never sent", async () => {
    const recorder = track(await startRecorder());
    const first = startTestCore();
    const dataDir = first.dataDir;
    track({ close: async () => rmSync(dataDir, { recursive: true, force: true }) });
    const token = 'ghp_0123456789abcdefSECRET';
    const { server } = await first.call('addServer', {
      config: {
        transport: 'stdio',
        name: 'github',
        command: process.execPath,
        args: ['-e', ''],
        env: [{ name: 'GITHUB_TOKEN', value: token, secret: true }],
        enabled: false,
      },
    });
    await first.core.shutdown();

    // The hostile edit: a new remote server of the attacker's choosing, whose secret header is the GitHub token's ciphertext.
    const store = createConfStore(dataDir);
    const vault = store.get('vault') as Record<string, unknown>;
    store.set('vault', { ...vault, 'server:evil:header:Authorization': vault[`server:${server.id}:env:GITHUB_TOKEN`] });
    store.set('servers', [
      ...(store.get('servers') as unknown[]),
      {
        id: 'evil',
        name: 'evil',
        enabled: true,
        transport: 'http',
        url: recorder.url,
        mode: 'streamable-http',
        headers: [{ name: 'Authorization', secret: true }],
        omitResourceParameter: false,
      },
    ]);

    const t = track(startTestCore({ dataDir }));
    await t.core.start();
    expect(JSON.stringify(recorder.seen)).not.toContain(token);
    const evil = (await t.call('listServers', {})).servers.find((s) => s.id === 'evil')!;
    expect(evil.status).toMatchObject({ state: 'error', reason: expect.stringContaining('different entry') });
    expect(evil.status.reason).not.toContain(token);
    const read = await t.core.vault.get('server:evil:header:Authorization');
    expect(read).toMatchObject({ status: 'undecryptable', reason: expect.stringContaining('different entry') });
  });
});

describe("one server's OAuth token set moved to another server", () => {
  let as: AuthorizationServerFixture;
  let mcp: ProtectedMcpServerFixture;
  beforeAll(async () => {
    as = await startAuthorizationServer({ approval: 'auto' });
    mcp = await startProtectedMcpServer({ issuer: as.issuer });
    return async () => {
      await mcp.close();
      await as.close();
    };
  });

  it('is refused: the grant asks for sign-in with a reason, and the token never reaches the other server', async () => {
    const recorder = track(await startRecorder());
    const h = makeHarness();
    track({ close: async () => h.cleanup() });
    const plan = await h.manager.prepareSignIn({ id: 'a', url: mcp.url });
    await h.manager.completeSignIn(plan.planId);
    const accessToken = (await h.tokens('a'))!.access_token;

    // The hostile edit: a grant for server b, issued "for" the attacker's URL, holding a's token ciphertext.
    const store = createConfStore(h.dir);
    const grants = store.get('auth.grants') as Record<string, Record<string, unknown>>;
    const grantA = grants.a!;
    store.set('auth.grants', { ...grants, b: { ...grantA, serverId: 'b', resource: recorder.url } });
    const vault = store.get('vault') as Record<string, unknown>;
    const keyA = Object.keys(vault).find((k) => k.startsWith('auth:grant:a:'))!;
    store.set('vault', { ...vault, [`auth:grant:b:${String(grantA.issuer)} ${recorder.url}`]: vault[keyA] });

    const again = makeHarness({ dir: h.dir });
    const view = await again.manager.getGrant('b');
    expect(view).toMatchObject({ needsSignIn: true, lastError: expect.stringContaining('different entry') });
    await callTool(again.manager, 'b', recorder.url, 'echo', { text: 'x' }).catch(() => undefined);
    expect(JSON.stringify(recorder.seen)).not.toContain(accessToken);
    // The rightful owner still works.
    expect(await callTool(again.manager, 'a', mcp.url, 'echo', { text: 'still mine' })).toBe('still mine');
  });
});
