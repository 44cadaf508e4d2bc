import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { IpcError } from '../../shared/contract/errors';
import { startAuthorizationServer } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer } from '../fixtures/auth/protected-mcp-server';
import { asMetadata, startScriptedServer, type ScriptedServer } from '../fixtures/auth/scripted-server';
import { callTool, makeHarness } from '../helpers/auth-harness';
import { fakeClock } from '../helpers/fake-clock';
import { useCleanup } from '../helpers/cleanup';

// Sign-in without a browser: the client_credentials grant for a pre-registered
// confidential client (SEP-1046; client_secret_basic or private_key_jwt), and
// SEP-990 enterprise-managed authorization (RFC 8693 token exchange at the IdP,
// then the RFC 7523 jwt-bearer grant at the AS). Real servers on 127.0.0.1.

const track = useCleanup();
const harness = (...args: Parameters<typeof makeHarness>) => {
  const h = makeHarness(...args);
  track(h);
  return h;
};

/** oidc-provider with client_credentials enabled and the given pre-registered clients, plus a protected MCP server. */
async function realServers(clients: Record<string, unknown>[]) {
  const as = await startAuthorizationServer({
    approval: 'auto',
    configure: (c) => ({ ...c, clients, features: { ...(c.features as Record<string, unknown>), clientCredentials: { enabled: true } } }),
  });
  track(as);
  const mcp = await startProtectedMcpServer({ issuer: as.issuer });
  track(mcp);
  return { as, mcp };
}

async function scripted(): Promise<ScriptedServer> {
  const s = await startScriptedServer();
  track(s);
  return s;
}

const basicPair = (h: string | undefined) =>
  h?.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent).join(':') : undefined;

describe('client_credentials (SEP-1046)', () => {
  test('client_secret_basic against oidc-provider: no browser, token works at the MCP server, renewed silently when it expires', async () => {
    const SECRET = 'machine-secret-0123456789';
    const { as, mcp } = await realServers([
      {
        client_id: 'machine',
        client_secret: SECRET,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ]);
    const clock = fakeClock();
    const h = harness({ clock });
    const server = { id: 'm2m', url: mcp.url, oauthClient: { clientId: 'machine', clientSecret: SECRET, grantType: 'client_credentials' as const } };
    const plan = await h.manager.prepareSignIn(server);
    expect(plan).toMatchObject({ grantType: 'client_credentials', registration: 'pre-registered', scopes: ['mcp:read', 'mcp:write'] }); // no offline_access for a machine client
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant).toMatchObject({ grantType: 'client_credentials', clientId: 'machine', hasRefreshToken: false, needsSignIn: false });
    expect(h.browser.opened).toEqual([]);
    expect(JSON.parse(await callTool(h.manager, 'm2m', mcp.url, 'whoami'))).toMatchObject({ clientId: 'machine', aud: mcp.resource });
    expect(h.diskText()).not.toContain(SECRET);

    // Expired: a new token is requested with the stored secret, no user involved.
    const tokenRequests = () => as.requests.filter((r) => r.method === 'POST' && r.path === '/token').length;
    const before = tokenRequests();
    const first = (await h.tokens('m2m'))!.access_token;
    clock.offset = grant.accessTokenExpiresAt! - Date.now() + 1000;
    expect(await callTool(h.manager, 'm2m', mcp.url, 'echo', { text: 'again' })).toBe('again');
    expect(tokenRequests()).toBe(before + 1);
    expect((await h.tokens('m2m'))!.access_token).not.toBe(first);
    expect(h.browser.opened).toEqual([]);
  });

  test.each([
    ['EC P-256 (ES256 inferred)', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), undefined, 'ES256'],
    ['RSA with an explicit PS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'PS256', 'PS256'],
  ])('private_key_jwt against oidc-provider: %s', async (_name, makeKey, configuredAlg, alg) => {
    const { publicKey, privateKey } = makeKey();
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg, use: 'sig' };
    const { mcp } = await realServers([
      {
        client_id: 'jwt-machine',
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: alg,
        jwks: { keys: [jwk] },
      },
    ]);
    const h = harness();
    const server = {
      id: 'jwt',
      url: mcp.url,
      oauthClient: {
        clientId: 'jwt-machine',
        privateKeyPem: pem,
        grantType: 'client_credentials' as const,
        ...(configuredAlg ? { signingAlgorithm: configuredAlg } : {}),
      },
    };
    const plan = await h.manager.prepareSignIn(server);
    expect((await h.manager.completeSignIn(plan.planId)).grantType).toBe('client_credentials');
    expect(JSON.parse(await callTool(h.manager, 'jwt', mcp.url, 'whoami'))).toMatchObject({ clientId: 'jwt-machine' });
    const body = pem.split('\n')[1]!;
    expect(h.diskText()).not.toContain(body); // the key is in the vault, encrypted
  });

  test('a key that is not PEM, or an unknown algorithm, is a VALIDATION error that does not echo the key', async () => {
    const s = await scripted();
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: `${s.origin}/mcp`, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin, { token_endpoint_auth_methods_supported: ['private_key_jwt'] }) });
    const h = harness();
    const notPem = 'not-a-pem-key-0123456789-secret';
    const plan = await h.manager.prepareSignIn({
      id: 'bad',
      url: `${s.origin}/mcp`,
      oauthClient: { clientId: 'c', privateKeyPem: notPem, grantType: 'client_credentials' },
    });
    const e1 = (await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e)) as IpcError;
    expect(e1).toMatchObject({ code: 'VALIDATION' });
    expect(e1.message).not.toContain(notPem);
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const plan2 = await h.manager.prepareSignIn({
      id: 'bad',
      url: `${s.origin}/mcp`,
      oauthClient: { clientId: 'c', privateKeyPem: pem, signingAlgorithm: 'HS256', grantType: 'client_credentials' },
    });
    await expect(h.manager.completeSignIn(plan2.planId)).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/Unsupported signing algorithm/),
    });
    expect(s.requests.filter((r) => r.path === '/token')).toHaveLength(0);
  });

  test('needs a secret or a key; an AS without PKCE metadata is fine for it (and only for it)', async () => {
    const s = await scripted();
    const url = `${s.origin}/mcp`;
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', {
      json: asMetadata(s.origin, {
        code_challenge_methods_supported: undefined,
        registration_endpoint: undefined,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      }),
    });
    s.route('POST /token', (r) => {
      const form = new URLSearchParams(r.body);
      const ok =
        form.get('grant_type') === 'client_credentials' &&
        form.get('client_id') === 'svc' &&
        form.get('client_secret') === 'svc-secret-123' &&
        form.get('resource') === url;
      return ok ? { json: { access_token: 'at-svc', token_type: 'Bearer', expires_in: 600 } } : { status: 401, json: { error: 'invalid_client' } };
    });
    const h = harness();
    await expect(h.manager.prepareSignIn({ id: 'svc', url, oauthClient: { clientId: 'svc', grantType: 'client_credentials' } })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const plan = await h.manager.prepareSignIn({
      id: 'svc',
      url,
      oauthClient: { clientId: 'svc', clientSecret: 'svc-secret-123', grantType: 'client_credentials' },
    });
    expect(plan).toMatchObject({ grantType: 'client_credentials', scopes: [], scopeSource: 'none' });
    expect(await h.manager.completeSignIn(plan.planId)).toMatchObject({ grantType: 'client_credentials', needsSignIn: false });
    // The same AS is refused for a browser sign-in.
    await expect(h.manager.prepareSignIn({ id: 'user', url })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/code_challenge_methods_supported is absent/),
    });
  });
});

describe('enterprise-managed authorization (SEP-990)', () => {
  const ID_TOKEN = 'eyJ.id-token-of-the-user.sig-0123456789';
  const ID_JAG = 'eyJ.id-jag-for-the-as.sig-0123456789';

  async function enterprise(opts: { issuedTokenType?: string } = {}) {
    const idp = await scripted();
    const as = await scripted();
    const url = `${as.origin}/mcp`;
    idp.route('POST /token', (r) => {
      const f = new URLSearchParams(r.body);
      const ok =
        f.get('grant_type') === 'urn:ietf:params:oauth:grant-type:token-exchange' &&
        f.get('subject_token') === ID_TOKEN &&
        f.get('subject_token_type') === 'urn:ietf:params:oauth:token-type:id_token' &&
        f.get('requested_token_type') === 'urn:ietf:params:oauth:token-type:id-jag' &&
        f.get('audience') === as.origin &&
        f.get('resource') === url &&
        f.get('client_id') === 'app-at-idp';
      return ok
        ? {
            json: {
              access_token: ID_JAG,
              issued_token_type: opts.issuedTokenType ?? 'urn:ietf:params:oauth:token-type:id-jag',
              token_type: 'N_A',
              expires_in: 300,
            },
          }
        : { status: 400, json: { error: 'invalid_request' } };
    });
    as.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [as.origin], scopes_supported: ['mcp:read'] } });
    as.route('GET /.well-known/oauth-authorization-server', {
      json: asMetadata(as.origin, {
        grant_types_supported: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
    });
    as.route('POST /token', (r) => {
      const f = new URLSearchParams(r.body);
      const ok =
        f.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
        f.get('assertion') === ID_JAG &&
        basicPair(r.headers.authorization) === 'app-at-as:as-secret-0123456789' &&
        f.get('scope') === 'mcp:read';
      return ok
        ? { json: { access_token: 'at-enterprise', token_type: 'Bearer', expires_in: 3600, scope: 'mcp:read' } }
        : { status: 400, json: { error: 'invalid_grant' } };
    });
    as.route('/mcp', (r) =>
      r.headers.authorization === 'Bearer at-enterprise'
        ? { json: { ok: true } }
        : { status: 401, headers: { 'WWW-Authenticate': `Bearer resource_metadata="${as.origin}/.well-known/oauth-protected-resource/mcp"` } },
    );
    const server = {
      id: 'corp',
      url,
      oauthClient: { clientId: 'app-at-as', clientSecret: 'as-secret-0123456789' },
      enterprise: { idpTokenEndpoint: `${idp.origin}/token`, idpIssuer: idp.origin, idpClientId: 'app-at-idp' },
    };
    return { idp, as, url, server };
  }

  test('ID token -> ID-JAG at the IdP -> access token at the AS -> MCP request; nothing of it on disk', async () => {
    const { idp, as, url, server } = await enterprise();
    const h = harness();
    const plan = await h.manager.prepareSignIn(server);
    expect(plan).toMatchObject({ grantType: 'jwt-bearer', registration: 'pre-registered', issuer: as.origin, scopes: ['mcp:read'] });
    const grant = await h.manager.completeSignIn(plan.planId, { idToken: ID_TOKEN });
    expect(grant).toMatchObject({ grantType: 'jwt-bearer', clientId: 'app-at-as', scopesGranted: ['mcp:read'], needsSignIn: false });
    expect(h.browser.opened).toEqual([]);
    expect(idp.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    const res = await h.manager.fetchFor('corp')(url, { method: 'POST', body: '{}' });
    expect(await res.json()).toEqual({ ok: true });
    for (const secret of [ID_TOKEN, ID_JAG, 'at-enterprise', 'as-secret-0123456789']) expect(h.diskText()).not.toContain(secret);
  });

  test('without an ID token and no IdP issuer to sign in at, it asks for the IdP sign-in; a wrong issued_token_type is refused; errors carry no tokens', async () => {
    const { server } = await enterprise({ issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token' });
    const h = harness();
    const plan = await h.manager.prepareSignIn({ ...server, enterprise: { idpTokenEndpoint: server.enterprise.idpTokenEndpoint, idpClientId: 'app-at-idp' } });
    await expect(h.manager.completeSignIn(plan.planId)).rejects.toMatchObject({ code: 'AUTH_REQUIRED', details: { reason: 'id-token-required' } });
    const plan2 = await h.manager.prepareSignIn(server);
    const error = (await h.manager.completeSignIn(plan2.planId, { idToken: ID_TOKEN }).catch((e: unknown) => e)) as IpcError;
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(error.message).toMatch(/instead of an ID-JAG/);
    for (const secret of [ID_TOKEN, ID_JAG]) expect(error.message).not.toContain(secret);
    expect(await h.manager.getGrant('corp')).toBeUndefined();
  });

  test('an IdP that rejects the exchange: AUTH_FAILED naming the IdP; an unsafe IdP endpoint is refused up front', async () => {
    const { server } = await enterprise();
    const h = harness();
    const plan = await h.manager.prepareSignIn(server);
    const error = (await h.manager.completeSignIn(plan.planId, { idToken: 'some-other-id-token-0123456789' }).catch((e: unknown) => e)) as IpcError;
    expect(error).toMatchObject({ code: 'AUTH_FAILED', details: { oauthError: 'invalid_request', phase: 'token-exchange' } });
    expect(error.message).toMatch(/identity provider/);
    expect(error.message).not.toContain('some-other-id-token-0123456789');
    await expect(
      h.manager.prepareSignIn({ ...server, enterprise: { ...server.enterprise, idpTokenEndpoint: 'http://idp.example.com/token' } }),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/identity provider token endpoint: plain http/) });
  });
});
