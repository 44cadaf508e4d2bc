import { describe, expect, it } from 'vitest';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';

// A machine client configured through the server dialog: it signs in as itself
// (client credentials), with no browser, and the secret never leaves the vault.

let t: TestCore | undefined;
let as: AuthorizationServerFixture | undefined;
let rs: ProtectedMcpServerFixture | undefined;
const track = useCleanup();

const SECRET = 'machine-secret-abcdef-0123456789';

describe('client credentials through the core', () => {
  it('signs in without a browser and calls tools', async () => {
    as = track(
      await startAuthorizationServer({
        configure: (c) => ({
          ...c,
          clients: [
            {
              client_id: 'machine',
              client_secret: SECRET,
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
    rs = track(await startProtectedMcpServer({ issuer: as.issuer }));
    let opened = 0;
    t = track(startTestCore({ browser: { open: async () => void opened++ } }));
    const { server } = await t.call('addServer', {
      config: { transport: 'http', name: 'Machine', url: rs.url, oauthClient: { clientId: 'machine', clientSecret: SECRET, grantType: 'client_credentials' } },
    });
    expect(server.config.transport === 'http' && server.config.oauthClient).toEqual({
      clientId: 'machine',
      hasClientSecret: true,
      hasPrivateKey: false,
      grantType: 'client_credentials',
    });
    expect(JSON.stringify(server)).not.toContain(SECRET);

    await t.call('connectServer', { serverId: server.id });
    const { plan } = await t.call('prepareSignIn', { serverId: server.id });
    expect(plan).toMatchObject({ grantType: 'client_credentials', registration: 'pre-registered' });
    const { grant } = await t.call('completeSignIn', { planId: plan.planId });
    expect(grant).toMatchObject({ grantType: 'client_credentials', clientId: 'machine', hasRefreshToken: false });
    expect(opened).toBe(0);
    await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
    const res = await t.call('callTool', { serverId: server.id, tool: 'whoami', arguments: {}, callId: 'w1' });
    expect(res.status).toBe('ok');
  });

  it('refuses a client-credentials client without a secret or key', async () => {
    t = track(startTestCore());
    const error = await t
      .call('addServer', {
        config: {
          transport: 'http',
          name: 'Machine',
          url: 'https://mcp.example.com/mcp',
          oauthClient: { clientId: 'machine', grantType: 'client_credentials' },
        },
      })
      .catch((e: { code: string; details: Record<string, string> }) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', details: { clientSecret: expect.any(String) } });
  });
});
