import { describe, expect, test } from 'vitest';
import { IpcError } from '../../shared/contract/errors';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { asMetadata, startScriptedServer, type ScriptedRequest, type ScriptedServer } from '../fixtures/auth/scripted-server';
import { callTool, makeHarness, type Harness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// Interoperability regressions found by the MCP conformance suite (0.1.16) and in
// integration: real HTTP servers on 127.0.0.1 that behave like servers in the wild.

const track = useCleanup();

async function scripted(): Promise<{ s: ScriptedServer; h: Harness; url: string }> {
  const s = await startScriptedServer();
  track(s);
  const h = makeHarness();
  track(h);
  return { s, h, url: `${s.origin}/mcp` };
}

/** The AS's /authorize that approves at once (like the conformance AS). */
function autoApprove(r: ScriptedRequest) {
  const back = new URL(r.query.get('redirect_uri')!);
  back.searchParams.set('code', 'code-1');
  back.searchParams.set('state', r.query.get('state')!);
  return { status: 302, headers: { Location: back.href } };
}

/** Decodes a Basic header without URL-decoding, as a naive server does. */
const rawBasic = (h: string | undefined) => (h?.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : undefined);

describe('dynamic client registration responses from the wild', () => {
  test('client_secret without client_secret_expires_at is accepted (treated as "does not expire") and the secret is used', async () => {
    const { s, h, url } = await scripted();
    const SECRET = 'dcr-secret-0123456789';
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin, { token_endpoint_auth_methods_supported: ['client_secret_basic'] }) });
    s.route('POST /register', (r) => ({
      status: 201,
      // RFC 7591 says client_secret_expires_at is REQUIRED with a secret; this server (like the conformance AS) leaves it out.
      json: {
        client_id: 'dcr-client',
        client_secret: SECRET,
        redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris,
        token_endpoint_auth_method: 'client_secret_basic',
      },
    }));
    s.route('GET /authorize', autoApprove);
    s.route('POST /token', (r) =>
      rawBasic(r.headers.authorization) === `dcr-client:${SECRET}`
        ? { json: { access_token: 'at-dcr', token_type: 'Bearer', expires_in: 60 } }
        : { status: 401, json: { error: 'invalid_client' } },
    );
    const plan = await h.manager.prepareSignIn({ id: 'dcr', url });
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant).toMatchObject({ clientId: 'dcr-client', registration: 'dynamic', needsSignIn: false });
    expect(h.diskText()).not.toContain(SECRET);
    // The registration is reused with its secret (read back from the vault).
    const again = await h.manager.prepareSignIn({ id: 'dcr', url });
    expect(again.registration).toBe('existing');
    expect((await h.manager.completeSignIn(again.planId)).clientId).toBe('dcr-client');
    expect(s.requests.filter((r) => r.path === '/register')).toHaveLength(1);
  });

  test('a registration response that is still invalid after normalisation is refused without echoing the secret', async () => {
    const { s, h, url } = await scripted();
    const SECRET = 'dcr-secret-abcdefghij';
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin) });
    // A present-but-wrong expiry is not ours to fix.
    s.route('POST /register', { status: 201, json: { client_id: 'dcr-client', client_secret: SECRET, client_secret_expires_at: 'never' } });
    const plan = await h.manager.prepareSignIn({ id: 'dcr', url });
    const error = (await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e)) as IpcError;
    expect(error).toBeInstanceOf(IpcError);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).not.toContain(SECRET);
    expect(await h.manager.getGrant('dcr')).toBeUndefined();
  });
});

describe('client_secret_basic encoding (RFC 6749 §2.3.1)', () => {
  test('unreserved characters are sent as-is, so a server that does not URL-decode sees the real id and secret', async () => {
    const { s, h, url } = await scripted();
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', {
      json: asMetadata(s.origin, { registration_endpoint: undefined, token_endpoint_auth_methods_supported: ['client_secret_basic'] }),
    });
    s.route('GET /authorize', autoApprove);
    const seen: (string | undefined)[] = [];
    s.route('POST /token', (r) => {
      seen.push(rawBasic(r.headers.authorization));
      return { json: { access_token: 'at-pre', token_type: 'Bearer' } };
    });
    const plan = await h.manager.prepareSignIn({
      id: 'pre',
      url,
      oauthClient: { clientId: 'pre-registered-client', clientSecret: 'pre-registered_secret.v1~(x)' },
    });
    await h.manager.completeSignIn(plan.planId);
    expect(seen).toEqual(['pre-registered-client:pre-registered_secret.v1~(x)']);

    // ':' (which would split the pair), '%', '+', spaces and non-ASCII are percent-encoded (UTF-8).
    const plan2 = await h.manager.prepareSignIn({ id: 'pre2', url, oauthClient: { clientId: 'id:é', clientSecret: 'a:b é+%' } });
    await h.manager.completeSignIn(plan2.planId);
    expect(seen.at(-1)).toBe('id%3A%C3%A9:a%3Ab%20%C3%A9%2B%25');
  });

  test('reserved and non-ASCII characters are percent-encoded, and a real AS (oidc-provider) accepts the result', async () => {
    // oidc-provider URL-decodes both parts (as RFC 6749 asks); it only accepts ASCII secrets.
    const SECRET = 'se cret: with/+&=%-_.!~*()';
    const CLIENT_ID = 'pre-registered.client_v1~x';
    const as: AuthorizationServerFixture = await startAuthorizationServer({
      approval: 'auto',
      configure: (c) => ({
        ...c,
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: SECRET,
            redirect_uris: ['http://127.0.0.1/callback'],
            application_type: 'native',
            grant_types: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
      }),
    });
    track(as);
    const mcp: ProtectedMcpServerFixture = await startProtectedMcpServer({ issuer: as.issuer });
    track(mcp);
    const h = makeHarness();
    track(h);
    const server = { id: 'pre-real', url: mcp.url, oauthClient: { clientId: CLIENT_ID, clientSecret: SECRET } };
    const plan = await h.manager.prepareSignIn(server);
    expect(plan.registration).toBe('pre-registered');
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant).toMatchObject({ clientId: CLIENT_ID, needsSignIn: false });
    expect(await callTool(h.manager, 'pre-real', mcp.url, 'echo', { text: 'hi' })).toBe('hi');
    expect(h.diskText()).not.toContain(SECRET);
  });
});

describe('2025-03-26 servers: AS metadata at the MCP origin with an issuer under a path', () => {
  const legacy = async (meta: (origin: string) => Record<string, unknown>) => {
    const ctx = await scripted();
    // No PRM anywhere (404s); the metadata is at the origin's well-known URL.
    ctx.s.route('GET /.well-known/oauth-authorization-server', { json: meta(ctx.s.origin) });
    return ctx;
  };
  const oauthUnder = (o: string, overrides: Record<string, unknown> = {}) =>
    asMetadata(`${o}/oauth`, { token_endpoint_auth_methods_supported: ['none'], ...overrides });

  test('issuer <origin>/oauth is accepted and its /oauth endpoints are used end to end', async () => {
    const { s, h, url } = await legacy((o) => oauthUnder(o));
    s.route('POST /oauth/register', (r) => ({
      status: 201,
      json: { client_id: 'legacy-client', redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris },
    }));
    s.route('GET /oauth/authorize', autoApprove);
    s.route('POST /oauth/token', (r) =>
      new URLSearchParams(r.body).get('code_verifier')
        ? { json: { access_token: 'at-legacy', token_type: 'Bearer' } }
        : { status: 400, json: { error: 'invalid_request' } },
    );
    const plan = await h.manager.prepareSignIn({ id: 'legacy', url });
    expect(plan).toMatchObject({ issuer: `${s.origin}/oauth`, issuerRelation: 'same-origin', registration: 'dynamic', resource: url });
    await h.manager.completeSignIn(plan.planId);
    const paths = s.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['POST /oauth/register', 'GET /oauth/authorize', 'POST /oauth/token']));
    const auth = new URL(h.browser.opened[0]!);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  });

  test.each([
    ['an issuer on another origin', (_o: string) => asMetadata('https://evil.example.com/oauth'), /issuer https:\/\/evil\.example\.com\/oauth does not match/],
    ['an issuer on another port of the same host', (o: string) => asMetadata(`${new URL(o).protocol}//${new URL(o).hostname}:1/oauth`), /does not match/],
    ['a javascript: authorization_endpoint', (o: string) => oauthUnder(o, { authorization_endpoint: 'javascript:alert(1)' }), /authorization_endpoint/],
    [
      'a token endpoint on plain http elsewhere',
      (o: string) => oauthUnder(o, { token_endpoint: 'http://auth.example.com/token' }),
      /Refusing token_endpoint: plain http/,
    ],
    ['no S256', (o: string) => oauthUnder(o, { code_challenge_methods_supported: ['plain'] }), /does not support PKCE S256/],
    [
      'no code_challenge_methods_supported',
      (o: string) => oauthUnder(o, { code_challenge_methods_supported: undefined }),
      /code_challenge_methods_supported is absent/,
    ],
  ])('still refused: %s', async (_name, meta, message) => {
    const { h, url } = await legacy(meta);
    const error = (await h.manager.prepareSignIn({ id: 'legacy', url }).catch((e: unknown) => e)) as IpcError;
    expect(error).toBeInstanceOf(IpcError);
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(message);
  });

  test('a path issuer is still refused when the AS was named by protected resource metadata', async () => {
    const { s, h, url } = await scripted();
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(`${s.origin}/oauth`) });
    const error = (await h.manager.prepareSignIn({ id: 'x', url }).catch((e: unknown) => e)) as IpcError;
    expect(error.message).toMatch(/does not match/);
  });

  test('no metadata at all: the default /authorize /token /register at the origin, with a secret-bearing registration', async () => {
    const { s, h, url } = await scripted();
    s.route('POST /register', (r) => ({
      status: 201,
      json: {
        client_id: 'fallback-client',
        client_secret: 'fallback-secret-123',
        redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris,
      },
    }));
    s.route('GET /authorize', autoApprove);
    s.route('POST /token', { json: { access_token: 'at-fallback', token_type: 'Bearer' } });
    const plan = await h.manager.prepareSignIn({ id: 'fallback', url });
    expect(plan).toMatchObject({ issuer: s.origin, registration: 'dynamic' });
    await h.manager.completeSignIn(plan.planId);
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /register', 'GET /authorize', 'POST /token']));
  });
});

describe('fetchFor and caller-supplied Authorization headers', () => {
  test('without a grant, a static Authorization header (API key configured as a custom header) is passed through', async () => {
    const { s, h, url } = await scripted();
    s.route('/mcp', (r) =>
      r.headers.authorization === 'Bearer static-api-key' ? { json: { ok: true } } : { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
    );
    const f = h.manager.fetchFor('static');
    const res = await f(url, { method: 'POST', headers: { Authorization: 'Bearer static-api-key', 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(s.requests.at(-1)!.headers.authorization).toBe('Bearer static-api-key');
    // Also when the headers come as a Headers object or inside a Request.
    await f(url, { method: 'POST', headers: new Headers({ authorization: 'Bearer static-api-key' }), body: '{}' });
    await f(new Request(url, { method: 'POST', headers: { authorization: 'Bearer static-api-key' }, body: '{}' }));
    expect(s.requests.slice(-2).map((r) => r.headers.authorization)).toEqual(['Bearer static-api-key', 'Bearer static-api-key']);
  });

  test('without a grant and without a header, none is invented', async () => {
    const { s, h, url } = await scripted();
    s.route('/mcp', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    await expect(h.manager.fetchFor('none')(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(s.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  test('with a grant, our Bearer token replaces a caller-supplied Authorization', async () => {
    const { s, h, url } = await scripted();
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin) });
    s.route('POST /register', (r) => ({
      status: 201,
      json: { client_id: 'c', redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris, token_endpoint_auth_method: 'none' },
    }));
    s.route('GET /authorize', autoApprove);
    s.route('POST /token', { json: { access_token: 'at-oauth-123', token_type: 'Bearer', expires_in: 3600 } });
    s.route('/mcp', (r) => ({ json: { auth: r.headers.authorization ?? null } }));
    const plan = await h.manager.prepareSignIn({ id: 'both', url });
    await h.manager.completeSignIn(plan.planId);
    const res = await h.manager.fetchFor('both')(url, { method: 'POST', headers: { Authorization: 'Bearer static-api-key' }, body: '{}' });
    expect(await res.json()).toEqual({ auth: 'Bearer at-oauth-123' });
  });
});
