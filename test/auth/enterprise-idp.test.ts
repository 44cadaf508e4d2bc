import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { startEnterpriseIdp } from '../fixtures/auth/enterprise-idp';
import { asMetadata, startScriptedServer } from '../fixtures/auth/scripted-server';
import { makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// SEP-990 enterprise-managed authorization end to end, with a real OpenID
// Provider (oidc-provider on 127.0.0.1) as the enterprise IdP: the user signs in
// there in the (headless) browser through Switchboard's loopback listener
// (authorization code + PKCE + nonce), the IdP exchanges the ID token for an
// ID-JAG (RFC 8693, a grant type registered on oidc-provider for the test), and
// the MCP server's AS takes the ID-JAG in an RFC 7523 jwt-bearer grant.

const track = useCleanup();
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
const IDP_SECRET = 'idp-client-secret-0123456789'; // the fixture's client secret at the IdP
const AS_SECRET = 'as-client-secret-0123456789';

async function world() {
  const e = await startEnterpriseIdp({ clientIdAtAs: 'switchboard-at-as' });
  track(e);
  const { idp, exchanges } = e;
  const jagPublicKey = e.jagPublicKey;
  const as = await startScriptedServer();
  track(as);
  const url = `${as.origin}/mcp`;
  as.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: url, authorization_servers: [as.origin], scopes_supported: ['mcp:read'] } });
  as.route('GET /.well-known/oauth-authorization-server', {
    json: asMetadata(as.origin, { grant_types_supported: [JWT_BEARER], token_endpoint_auth_methods_supported: ['client_secret_basic'] }),
  });
  const subjects: string[] = [];
  as.route('POST /token', async (r) => {
    const f = new URLSearchParams(r.body);
    const basic = Buffer.from((r.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    if (f.get('grant_type') !== JWT_BEARER || basic !== `switchboard-at-as:${AS_SECRET}`) return { status: 400, json: { error: 'invalid_client' } };
    try {
      const assertion = f.get('assertion') ?? '';
      if (decodeProtectedHeader(assertion).typ !== 'oauth-id-jag+jwt') throw new Error('typ');
      const { payload } = await jwtVerify(assertion, jagPublicKey, { issuer: idp.issuer, audience: as.origin });
      if (payload.resource !== url || payload.client_id !== 'switchboard-at-as') throw new Error('binding');
      subjects.push(String(payload.sub));
    } catch {
      return { status: 400, json: { error: 'invalid_grant' } };
    }
    return { json: { access_token: 'at-corp', token_type: 'Bearer', expires_in: 3600, scope: 'mcp:read' } };
  });
  as.route('/mcp', (r) =>
    r.headers.authorization === 'Bearer at-corp'
      ? { json: { ok: true } }
      : { status: 401, headers: { 'WWW-Authenticate': `Bearer resource_metadata="${as.origin}/.well-known/oauth-protected-resource/mcp"` } },
  );
  const server = {
    id: 'corp',
    url,
    oauthClient: { clientId: 'switchboard-at-as', clientSecret: AS_SECRET },
    enterprise: { idpIssuer: idp.issuer, idpClientId: 'switchboard-at-idp', idpClientSecret: IDP_SECRET },
  };
  return { idp, as, url, server, exchanges, subjects };
}

describe('enterprise-managed authorization with a real IdP (SEP-990)', () => {
  test('browser sign-in at the IdP -> token exchange -> jwt-bearer at the AS -> MCP request; no ID token, ID-JAG or secret on disk', async () => {
    const w = await world();
    const h = makeHarness();
    track(h);
    const plan = await h.manager.prepareSignIn(w.server);
    expect(plan).toMatchObject({ grantType: 'jwt-bearer', identityProvider: w.idp.issuer, issuer: w.as.origin, scopes: ['mcp:read'] });

    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant).toMatchObject({ grantType: 'jwt-bearer', clientId: 'switchboard-at-as', scopesGranted: ['mcp:read'], needsSignIn: false });
    // The browser went to the IdP (not the AS), with PKCE, state and nonce, back to the loopback listener.
    expect(h.browser.opened).toHaveLength(1);
    const auth = new URL(h.browser.opened[0]!);
    expect(auth.origin).toBe(w.idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('nonce')).toBeTruthy();
    expect(auth.searchParams.get('scope')).toBe('openid');
    expect(new URL(auth.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(w.exchanges).toEqual([
      expect.objectContaining({ audience: w.as.origin, resource: w.url, scope: 'mcp:read', subject_token: '(present)', requested_token_type: ID_JAG }),
    ]);
    expect(w.subjects).toEqual(['carol@corp.example']);

    const res = await h.manager.fetchFor('corp')(w.url, { method: 'POST', body: '{}' });
    expect(await res.json()).toEqual({ ok: true });
    const disk = h.diskText();
    for (const secret of [IDP_SECRET, AS_SECRET, 'at-corp']) expect(disk).not.toContain(secret);
    expect(disk).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/); // no JWT (ID token, ID-JAG) in settings or the vault file
  });

  test('the IdP refuses the sign-in: CANCELLED naming the IdP, nothing stored, nothing sent to the AS', async () => {
    const w = await world();
    w.idp.setApproval('deny');
    const h = makeHarness();
    track(h);
    const plan = await h.manager.prepareSignIn(w.server);
    const error = await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CANCELLED', message: expect.stringContaining(`identity provider ${w.idp.issuer}`) });
    expect(w.exchanges).toHaveLength(0);
    expect(w.as.requests.filter((r) => r.path === '/token')).toHaveLength(0);
    expect(await h.manager.getGrant('corp')).toBeUndefined();
  });

  test('hostile IdP metadata: an unsafe authorization endpoint or a foreign issuer is refused before the browser opens', async () => {
    const w = await world();
    const fake = await startScriptedServer();
    track(fake);
    const h = makeHarness();
    track(h);
    const attempt = async (metadata: Record<string, unknown>) => {
      fake.route('GET /.well-known/openid-configuration', { json: metadata });
      const plan = await h.manager.prepareSignIn({ ...w.server, enterprise: { ...w.server.enterprise, idpIssuer: fake.origin } });
      return (await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e)) as { code: string; message: string };
    };
    const base = { issuer: fake.origin, token_endpoint: `${fake.origin}/token`, response_types_supported: ['code'] };
    expect(await attempt({ ...base, authorization_endpoint: 'http://idp.evil.example/authorize' })).toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/Refusing identity provider authorization endpoint: plain http/),
    });
    expect(await attempt({ ...base, issuer: 'https://someone-else.example', authorization_endpoint: `${fake.origin}/authorize` })).toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`identity provider ${fake.origin}`),
    });
    expect(h.browser.opened).toEqual([]);
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(0);
  });
});
