import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startWorkloadAuthServer } from '../fixtures/auth/workload-auth-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';

// Workload identity and enterprise-managed authorization configured the way the
// server dialog does it (addServer / updateServer over the typed IPC): a pasted
// workload token and the IdP's client secret go to the vault and never come back;
// a token file is only named and read at sign-in.

const track = useCleanup();
const IDP_SECRET = 'idp-secret-for-the-dialog-0123456789';

const diskText = (dir: string): string => {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return walk(dir)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
};

describe('workload identity and the enterprise IdP through the core', () => {
  it('a pasted workload token is a vault secret; switching to a token file drops it; sign-in reads the file', async () => {
    const w = await startWorkloadAuthServer();
    track(w.as);
    const t = track(startTestCore({ browser: { open: async () => Promise.reject(new Error('no browser for a workload')) } }));
    const pasted = await w.mint('pasted');
    const { server } = await t.call('addServer', {
      config: {
        transport: 'http',
        name: 'Workload',
        url: w.url,
        enabled: false,
        oauthClient: { clientId: 'workload-client', grantType: 'workload_identity', workloadToken: { source: 'stored', value: pasted } },
      },
    });
    expect(server.config.transport === 'http' && server.config.oauthClient).toMatchObject({
      grantType: 'workload_identity',
      workloadToken: { source: 'stored', hasValue: true },
    });
    expect(JSON.stringify(server)).not.toContain(pasted);
    expect(diskText(t.dataDir)).not.toContain(pasted);

    const { plan } = await t.call('prepareSignIn', { serverId: server.id });
    expect(plan).toMatchObject({ grantType: 'workload-identity', assertionSource: 'the token stored in the vault' });
    expect((await t.call('completeSignIn', { planId: plan.planId })).grant).toMatchObject({ grantType: 'workload-identity', clientId: 'workload-client' });
    expect(w.assertions).toEqual([pasted]);

    const file = join(track.tempDir(), 'projected-token');
    const fromFile = await w.mint('from-file');
    writeFileSync(file, fromFile);
    const { server: edited } = await t.call('updateServer', {
      serverId: server.id,
      config: {
        transport: 'http',
        name: 'Workload',
        url: w.url,
        enabled: false,
        oauthClient: { clientId: 'workload-client', grantType: 'workload_identity', workloadToken: { source: 'file', path: file } },
      },
    });
    expect(edited.config.transport === 'http' && edited.config.oauthClient?.workloadToken).toEqual({ source: 'file', path: file, hasValue: false });
    const { plan: plan2 } = await t.call('prepareSignIn', { serverId: server.id });
    expect(plan2.assertionSource).toBe(`the file ${file}`);
    await t.call('completeSignIn', { planId: plan2.planId });
    expect(w.assertions).toEqual([pasted, fromFile]);
    expect(diskText(t.dataDir)).not.toContain(fromFile);
  });

  it('refuses incomplete workload and enterprise settings with field errors', async () => {
    const t = track(startTestCore());
    const add = (oauthClient: Record<string, unknown>) =>
      t
        .call('addServer', { config: { transport: 'http', name: 'X', url: 'https://mcp.example.com/mcp', oauthClient: oauthClient as never } })
        .catch((e: { code: string; details: Record<string, string> }) => e);
    expect(await add({ clientId: 'c', grantType: 'workload_identity', workloadToken: { source: 'file', path: 'relative/token' } })).toMatchObject({
      code: 'VALIDATION',
      details: { workloadTokenPath: expect.any(String) },
    });
    expect(await add({ clientId: 'c', grantType: 'workload_identity', workloadToken: { source: 'stored', value: 'not a jwt' } })).toMatchObject({
      details: { workloadTokenValue: expect.any(String) },
    });
    expect(await add({ clientId: 'c', grantType: 'enterprise', enterprise: { idpIssuer: 'http://idp.example.com', idpClientId: 'x' } })).toMatchObject({
      details: { idpIssuer: expect.stringMatching(/https/) },
    });
  });

  it("the IdP's client secret is write-only: stored, kept on an edit that omits it, never in the view", async () => {
    const t = track(startTestCore());
    const config = (idpClientSecret?: string) => ({
      transport: 'http' as const,
      name: 'Corp',
      url: 'https://mcp.corp.example/mcp',
      enabled: false,
      oauthClient: {
        clientId: 'app-at-as',
        grantType: 'enterprise' as const,
        enterprise: { idpIssuer: 'https://login.corp.example', idpClientId: 'app-at-idp', ...(idpClientSecret !== undefined ? { idpClientSecret } : {}) },
      },
    });
    const { server } = await t.call('addServer', { config: config(IDP_SECRET) });
    expect(server.config.transport === 'http' && server.config.oauthClient?.enterprise).toEqual({
      idpIssuer: 'https://login.corp.example',
      idpClientId: 'app-at-idp',
      hasIdpClientSecret: true,
    });
    const { server: kept } = await t.call('updateServer', { serverId: server.id, config: config() });
    expect(kept.config.transport === 'http' && kept.config.oauthClient?.enterprise?.hasIdpClientSecret).toBe(true);
    expect(JSON.stringify(kept)).not.toContain(IDP_SECRET);
    expect(diskText(t.dataDir)).not.toContain(IDP_SECRET);
    const { server: cleared } = await t.call('updateServer', { serverId: server.id, config: config('') });
    expect(cleared.config.transport === 'http' && cleared.config.oauthClient?.enterprise?.hasIdpClientSecret).toBe(false);
  });
});
