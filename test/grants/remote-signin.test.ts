import { describe, expect, it } from 'vitest';
import { createHeadlessBrowser } from '../../electron/core/auth';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';

// A remote server through the whole core, as the GUI drives it: connect → sign-in
// needed → consent plan → sign-in → tools → step-up → traffic → revoke.

let t: TestCore | undefined;
let as: AuthorizationServerFixture | undefined;
let rs: ProtectedMcpServerFixture | undefined;
const track = useCleanup();

async function setup() {
  as = track(await startAuthorizationServer({ approval: 'auto', accessTokenTtl: 600 }));
  rs = track(await startProtectedMcpServer({ issuer: as.issuer, scopesSupported: ['mcp:read', 'mcp:write'] }));
  t = track(startTestCore({ browser: createHeadlessBrowser() }));
  const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Protected', url: rs.url } });
  return server;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

const serverState = async (id: string) => (await t!.call('listServers', {})).servers.find((s) => s.id === id)!.status;

describe('remote servers with OAuth through the core', () => {
  it('signs in after a 401, calls tools, steps up on 403, records redacted traffic, and revokes', async () => {
    const server = await setup();
    const first = await t!.call('connectServer', { serverId: server.id });
    expect(first.server.status).toMatchObject({ state: 'error', authRequired: true });
    expect(first.server.status.reason).toContain('Sign in to Protected');

    const { plan } = await t!.call('prepareSignIn', { serverId: server.id });
    expect(plan).toMatchObject({
      issuer: as!.issuer,
      issuerRelation: 'third-party',
      registration: 'dynamic',
      scopeSource: 'scopes_supported',
      resourceSent: true,
      stepUp: false,
      revocationSupported: true,
    });
    // offline_access only because this AS advertises it.
    expect(plan.scopes).toEqual(['mcp:read', 'mcp:write', 'offline_access']);
    const { grant } = await t!.call('completeSignIn', { planId: plan.planId });
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    expect(grant).not.toHaveProperty('accessToken');
    await t!.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');

    const echo = await t!.call('callTool', { serverId: server.id, tool: 'echo', arguments: { text: 'hi' }, callId: 'c1' });
    expect(echo.status).toBe('ok');

    const denied = await t!.call('callTool', { serverId: server.id, tool: 'admin_echo', arguments: { text: 'hi' }, callId: 'c2' });
    expect(denied).toMatchObject({ status: 'error', error: { code: 'STEP_UP_REQUIRED' } });
    const { plan: stepUp } = await t!.call('prepareSignIn', { serverId: server.id, stepUp: true });
    expect(stepUp.stepUp).toBe(true);
    expect(stepUp.addedScopes).toEqual(['mcp:admin']);
    expect(stepUp.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']));
    await t!.call('completeSignIn', { planId: stepUp.planId });
    const allowed = await t!.call('callTool', { serverId: server.id, tool: 'admin_echo', arguments: { text: 'hi' }, callId: 'c3' });
    expect(allowed.status).toBe('ok');

    const { entries } = await t!.call('listTraffic', { serverId: server.id });
    const phases = new Set(entries.filter((e) => e.kind === 'http').map((e) => e.phase));
    expect([...phases]).toEqual(expect.arrayContaining(['discovery', 'registration', 'token', 'mcp']));
    expect(entries.some((e) => e.kind === 'jsonrpc')).toBe(true);
    const bearer = entries.find((e) => e.kind === 'http' && e.phase === 'mcp' && e.requestHeaders.authorization);
    expect(bearer?.kind === 'http' && bearer.requestHeaders.authorization).toBe('[redacted]');
    const tokens = rs!.authorizationHeaders.filter(Boolean).map((h) => h!.replace(/^Bearer /, ''));
    expect(tokens.length).toBeGreaterThan(0);
    const trafficJson = JSON.stringify(entries);
    for (const token of tokens) expect(trafficJson).not.toContain(token);

    const revoked = await t!.call('revokeGrant', { serverId: server.id });
    expect(revoked.revokedAtServer).toBe(true);
    expect(await serverState(server.id)).toMatchObject({ state: 'stopped', authRequired: true });
    expect((await t!.call('getGrant', { serverId: server.id })).grant).toBeUndefined();
  });

  it('reconnects without a browser after a restart, using the stored grant', async () => {
    const server = await setup();
    await t!.call('connectServer', { serverId: server.id });
    const { plan } = await t!.call('prepareSignIn', { serverId: server.id });
    await t!.call('completeSignIn', { planId: plan.planId });
    await t!.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
    const dataDir = t!.dataDir;
    await t!.core.shutdown();
    let opened = 0;
    const again = startTestCore({ dataDir, browser: { open: async () => void opened++ } });
    track.defer(() => again.core.shutdown());
    const { server: view } = await again.call('connectServer', { serverId: server.id });
    expect(view.status.state).toBe('connected');
    expect(opened).toBe(0);
  });

  it('says clearly when a remote server is unreachable', async () => {
    t = track(startTestCore());
    const port = await freePort();
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Nowhere', url: `http://127.0.0.1:${port}/mcp` } });
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status.state).toBe('error');
    expect(view.status.authRequired).toBeFalsy();
    expect(view.status.reason).toMatch(/refused|not reachable|could not connect/i);
  });

  it('refuses plain http to a host other than this machine', async () => {
    t = track(startTestCore());
    const error = await t
      .call('addServer', { config: { transport: 'http', name: 'Plain', url: 'http://example.com/mcp' } })
      .catch((e: { code: string; details: Record<string, string> }) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', details: { url: expect.stringContaining('https') } });
  });
});
