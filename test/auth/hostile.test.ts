import { describe, expect, test } from 'vitest';
import { IpcError } from '../../shared/contract/errors';
import { asMetadata, startScriptedServer } from '../fixtures/auth/scripted-server';
import { makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// Servers and authorization servers that lie. Everything runs on real HTTP
// servers on 127.0.0.1 that serve exactly what each test scripts.

const track = useCleanup();

/** An MCP server whose PRM and AS metadata live on the same origin, spoiled by `spoil`. */
async function hostile(
  spoil: { prm?: (origin: string) => Record<string, unknown> | undefined; as?: (origin: string) => Record<string, unknown> | undefined } = {},
) {
  const s = await startScriptedServer();
  track(s);
  const prm = spoil.prm ? spoil.prm(s.origin) : { resource: `${s.origin}/mcp`, authorization_servers: [s.origin], scopes_supported: ['read'] };
  if (prm) s.route('GET /.well-known/oauth-protected-resource/mcp', { json: prm });
  const meta = spoil.as ? spoil.as(s.origin) : asMetadata(s.origin);
  if (meta) s.route('GET /.well-known/oauth-authorization-server', { json: meta });
  const h = makeHarness();
  track(h);
  return { s, h, url: `${s.origin}/mcp` };
}

async function refused(p: Promise<unknown>, message: RegExp): Promise<IpcError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IpcError);
  expect((error as IpcError).code).toBe('AUTH_FAILED');
  expect((error as IpcError).message).toMatch(message);
  return error as IpcError;
}

describe('hostile metadata is refused before any browser opens', () => {
  test('baseline: the unspoiled scripted server is accepted (so the refusals below are meaningful)', async () => {
    const { h, url, s } = await hostile();
    const plan = await h.manager.prepareSignIn({ id: 'x', url });
    expect(plan).toMatchObject({
      issuer: s.origin,
      issuerRelation: 'same-origin',
      registration: 'dynamic',
      scopes: ['read'],
      scopeSource: 'scopes_supported',
      revocationSupported: false,
    });
  });

  test.each([
    [
      'javascript: authorization_endpoint',
      (o: string) => asMetadata(o, { authorization_endpoint: 'javascript:alert(document.domain)' }),
      /authorization_endpoint/,
    ],
    ['data: authorization_endpoint', (o: string) => asMetadata(o, { authorization_endpoint: 'data:text/html,hi' }), /authorization_endpoint/],
    [
      'file: authorization_endpoint',
      (o: string) => asMetadata(o, { authorization_endpoint: 'file:///etc/passwd' }),
      /Refusing authorization_endpoint: the "file:" scheme/,
    ],
    ['shell-ish authorization_endpoint', (o: string) => asMetadata(o, { authorization_endpoint: 'calc.exe' }), /authorization_endpoint/],
    [
      'http on a non-loopback host',
      (o: string) => asMetadata(o, { authorization_endpoint: 'http://auth.example.com/authorize' }),
      /plain http is only allowed for loopback hosts, not auth\.example\.com/,
    ],
    ['http token endpoint on a LAN host', (o: string) => asMetadata(o, { token_endpoint: 'http://192.168.1.10/token' }), /Refusing token_endpoint: plain http/],
    ['file: revocation endpoint', (o: string) => asMetadata(o, { revocation_endpoint: 'file:///tmp/x' }), /revocation_endpoint/],
    [
      'credentials in the registration endpoint',
      (o: string) => asMetadata(o, { registration_endpoint: 'https://u:p@auth.example.com/register' }),
      /embedded credentials/,
    ],
    ['no S256 (plain only)', (o: string) => asMetadata(o, { code_challenge_methods_supported: ['plain'] }), /does not support PKCE S256/],
    [
      'absent code_challenge_methods_supported',
      (o: string) => asMetadata(o, { code_challenge_methods_supported: undefined }),
      /code_challenge_methods_supported is absent/,
    ],
    ['issuer mismatch', (o: string) => asMetadata(o, { issuer: 'https://evil.example.com' }), /issuer https:\/\/evil\.example\.com does not match/],
  ])('%s', async (_name, spoil, message) => {
    const { h, url } = await hostile({ as: spoil });
    await refused(h.manager.prepareSignIn({ id: 'x', url }), message);
    expect(h.browser.opened).toEqual([]);
  });

  test.each([
    [
      'PRM resource for another origin',
      (o: string) => ({ resource: 'https://other.example.com/mcp', authorization_servers: [o] }),
      /is for https:\/\/other\.example\.com\/mcp, which does not cover/,
    ],
    [
      'PRM resource for another path on the same origin',
      (o: string) => ({ resource: `${o}/other`, authorization_servers: [o] }),
      /does not cover the server URL/,
    ],
    [
      'PRM resource that is a javascript: URL',
      (o: string) => ({ resource: 'javascript:alert(1)', authorization_servers: [o] }),
      /Refusing protected resource metadata/,
    ],
    [
      'PRM authorization server with a file: URL',
      (o: string) => ({ resource: `${o}/mcp`, authorization_servers: ['file:///etc'] }),
      /authorization server URL from protected resource metadata/,
    ],
    [
      'PRM with no authorization servers',
      (o: string) => ({ resource: `${o}/mcp`, authorization_servers: [] }),
      /no authorization_servers|authorization_servers/,
    ],
  ])('%s', async (_name, prm, message) => {
    const { h, url } = await hostile({ prm });
    await refused(h.manager.prepareSignIn({ id: 'x', url }), message);
  });

  test('a PRM resource that is a path prefix of the server URL is accepted', async () => {
    const { h, url, s } = await hostile({ prm: (o) => ({ resource: o, authorization_servers: [o] }) });
    const plan = await h.manager.prepareSignIn({ id: 'x', url });
    expect(plan.resource).toBe(s.origin); // sent verbatim
  });

  test('resource_metadata in the challenge pointing to javascript: is refused', async () => {
    const { h, url } = await hostile();
    await refused(h.manager.prepareSignIn({ id: 'x', url }, { challenge: 'Bearer resource_metadata="javascript:alert(1)"' }), /resource_metadata URL/);
  });

  test('challenge resource_metadata is used first; challenge scope wins over scopes_supported', async () => {
    const { h, url, s } = await hostile();
    s.route('GET /custom-prm', { json: { resource: `${s.origin}/mcp`, authorization_servers: [s.origin], scopes_supported: ['other'] } });
    const plan = await h.manager.prepareSignIn({ id: 'x', url }, { challenge: `Bearer resource_metadata="${s.origin}/custom-prm", scope="from-challenge"` });
    expect(s.requests.map((r) => r.path)).toContain('/custom-prm');
    expect(s.requests.map((r) => r.path)).not.toContain('/.well-known/oauth-protected-resource/mcp');
    expect(plan).toMatchObject({ scopes: ['from-challenge'], scopeSource: 'challenge' });
  });
});

describe('2025-03-26 servers without PRM', () => {
  test('the MCP origin is the AS; with no metadata at all, default endpoints are used', async () => {
    const { h, url, s } = await hostile({ prm: () => undefined, as: () => undefined });
    const plan = await h.manager.prepareSignIn({ id: 'legacy', url });
    expect(plan).toMatchObject({ issuer: s.origin, issuerRelation: 'same-origin', resource: url, registration: 'dynamic', scopeSource: 'none', scopes: [] });
    const paths = s.requests.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
      ]),
    );
  });

  test('legacy: metadata at the origin is used, and still must advertise S256', async () => {
    const { h, url } = await hostile({ prm: () => undefined, as: (o) => asMetadata(o, { code_challenge_methods_supported: undefined }) });
    await refused(h.manager.prepareSignIn({ id: 'legacy', url }), /code_challenge_methods_supported is absent/);
  });

  test('a PRM endpoint that errors (500) is a failure, not a silent legacy fallback', async () => {
    const { h, url, s } = await hostile({ prm: () => undefined });
    s.route('GET /.well-known/oauth-protected-resource/mcp', { status: 500, text: 'boom' });
    await refused(h.manager.prepareSignIn({ id: 'x', url }), /protected resource metadata/);
  });
});

describe('registration fallbacks', () => {
  test('no DCR, no CIMD, no pre-registered client: AUTH_FAILED asking for a client id', async () => {
    const { h, url } = await hostile({ as: (o) => asMetadata(o, { registration_endpoint: undefined }) });
    const plan = await h.manager.prepareSignIn({ id: 'x', url });
    expect(plan.registration).toBe('manual-required');
    const error = await refused(h.manager.completeSignIn(plan.planId), /enter a client ID/);
    expect(error.details).toMatchObject({ reason: 'client-id-required' });
    expect(h.browser.opened).toEqual([]);
  });

  test('pre-registered client wins; CIMD is chosen when advertised and configured', async () => {
    const { h, url } = await hostile({ as: (o) => asMetadata(o, { client_id_metadata_document_supported: true }) });
    expect((await h.manager.prepareSignIn({ id: 'x', url, oauthClient: { clientId: 'mine' } })).registration).toBe('pre-registered');
    expect((await h.manager.prepareSignIn({ id: 'x', url, clientMetadataUrl: 'https://app.example.com/client.json' })).registration).toBe(
      'client-id-metadata-document',
    );
    expect((await h.manager.prepareSignIn({ id: 'x', url })).registration).toBe('dynamic');
  });
});

describe('a hostile AS that echoes secrets back', () => {
  test('codes, verifiers and tokens never reach error messages or the grant view', async () => {
    const { h, url, s } = await hostile();
    const seen: { code?: string; verifier?: string } = {};
    const CODE = 'CODE-SECRET-0123456789';
    const AT = 'AT-SECRET-0123456789';
    const RT = 'RT-SECRET-0123456789';
    s.route('POST /register', (r) => ({
      status: 201,
      json: {
        client_id: 'hostile-client',
        redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris,
        token_endpoint_auth_method: 'none',
      },
    }));
    s.route('GET /authorize', (r) => {
      const back = new URL(r.query.get('redirect_uri')!);
      back.searchParams.set('code', CODE);
      back.searchParams.set('state', r.query.get('state')!);
      return { status: 302, headers: { Location: back.href } };
    });
    let tokenMode: 'echo-code' | 'issue' | 'echo-refresh' = 'echo-code';
    s.route('POST /token', (r) => {
      const form = new URLSearchParams(r.body);
      seen.code = form.get('code') ?? undefined;
      seen.verifier = form.get('code_verifier') ?? seen.verifier;
      if (tokenMode === 'echo-code')
        return {
          status: 400,
          json: { error: 'invalid_grant', error_description: `code ${form.get('code')} with verifier ${form.get('code_verifier')} is wrong` },
        };
      if (tokenMode === 'issue') return { json: { access_token: AT, refresh_token: RT, token_type: 'Bearer', expires_in: 3600 } };
      return { status: 400, json: { error: 'invalid_request', error_description: `refresh token ${form.get('refresh_token')} looks odd` } };
    });
    s.route('/mcp', (r) =>
      r.headers.authorization === `Bearer ${AT}`
        ? { json: { ok: true } }
        : { status: 401, headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="got ${r.headers.authorization}"` } },
    );

    const plan = await h.manager.prepareSignIn({ id: 'evil', url });
    const error = await h.manager.completeSignIn(plan.planId).then(
      () => undefined,
      (e: unknown) => e as IpcError,
    );
    expect(error).toBeInstanceOf(IpcError);
    expect(error!.code).toBe('AUTH_FAILED');
    expect(seen.code).toBe(CODE); // the secrets really were in the AS response...
    expect(error!.message).toMatch(/invalid_grant/);
    for (const secret of [CODE, seen.verifier!]) {
      expect(error!.message).not.toContain(secret); // ...but not in our message
      expect(JSON.stringify(error!.details ?? null)).not.toContain(secret);
    }

    // Now sign in for real, then make the refresh fail while the AS echoes the refresh token.
    tokenMode = 'issue';
    const clock = { offset: 0, now: () => Date.now() + clock.offset };
    const h2 = makeHarness({ clock, dir: h.dir });
    const plan2 = await h2.manager.prepareSignIn({ id: 'evil', url });
    await h2.manager.completeSignIn(plan2.planId);
    expect(h2.diskText()).not.toContain(AT);
    expect(h2.diskText()).not.toContain(RT);
    tokenMode = 'echo-refresh';
    clock.offset = 3600_000;
    const refreshError = await h2.manager
      .fetchFor('evil')(url)
      .then(
        () => undefined,
        (e: unknown) => e as IpcError,
      );
    expect(refreshError).toBeInstanceOf(IpcError);
    expect(refreshError!.message).toMatch(/invalid_request/);
    expect(refreshError!.message).not.toContain(RT);
    const view = await h2.manager.getGrant('evil');
    expect(JSON.stringify(view)).not.toContain(RT);
    expect(JSON.stringify(view)).not.toContain(AT);
    expect(view?.lastError).toMatch(/\[redacted\]/);
  });
});

describe('hostile behaviour after sign-in', () => {
  async function signedIn(extra: Record<string, unknown> = {}, iss?: (origin: string) => string | undefined) {
    const { h, url, s } = await hostile({ as: (o) => asMetadata(o, extra) });
    s.route('POST /register', (r) => ({
      status: 201,
      json: { client_id: 'c', redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris, token_endpoint_auth_method: 'none' },
    }));
    s.route('GET /authorize', (r) => {
      const back = new URL(r.query.get('redirect_uri')!);
      back.searchParams.set('code', 'code-1');
      back.searchParams.set('state', r.query.get('state')!);
      const value = iss ? iss(r.origin) : undefined;
      if (value) back.searchParams.set('iss', value);
      return { status: 302, headers: { Location: back.href } };
    });
    s.route('POST /token', { json: { access_token: 'AT-hostile-123456', token_type: 'Bearer', expires_in: 3600 } });
    return { h, url, s };
  }

  test('iss mix-up: a callback with the wrong iss (or none, when advertised) is rejected', async () => {
    const cases: [Record<string, unknown>, (o: string) => string | undefined][] = [
      [{ authorization_response_iss_parameter_supported: true }, () => 'https://evil.example.com'],
      [{ authorization_response_iss_parameter_supported: true }, () => undefined],
      [{ authorization_response_iss_parameter_supported: true }, (o) => `${o}/`], // no normalisation
      [{}, () => 'https://evil.example.com'], // not advertised, but present: still compared (RFC 9207 §2.4)
    ];
    for (const [metadata, iss] of cases) {
      const { h, url, s } = await signedIn(metadata, iss);
      const plan = await h.manager.prepareSignIn({ id: 'iss', url });
      await refused(h.manager.completeSignIn(plan.planId), /Sign-in to .* failed: the authorization response .*RFC 9207.*its code was not used/);
      expect(s.requests.filter((r) => r.path === '/token')).toEqual([]);
      expect(await h.manager.getGrant('iss')).toBeUndefined();
    }
    // Not advertised and absent: accepted (nothing to compare).
    {
      const { h, url } = await signedIn({}, () => undefined);
      const plan = await h.manager.prepareSignIn({ id: 'iss', url });
      expect((await h.manager.completeSignIn(plan.planId)).needsSignIn).toBe(false);
    }
    // control: the right iss passes
    const { h, url } = await signedIn({ authorization_response_iss_parameter_supported: true }, (o) => o);
    const plan = await h.manager.prepareSignIn({ id: 'iss', url });
    expect((await h.manager.completeSignIn(plan.planId)).needsSignIn).toBe(false);
  });

  test('an MCP server redirecting elsewhere does not get the token forwarded; same-origin redirects keep it', async () => {
    const { h, url, s } = await signedIn();
    const plan = await h.manager.prepareSignIn({ id: 'redir', url });
    await h.manager.completeSignIn(plan.planId);
    const elsewhere = await startScriptedServer({ '/grab': (r) => ({ json: { auth: r.headers.authorization ?? null } }) });
    track(elsewhere);
    s.route('/mcp', { status: 307, headers: { Location: `${elsewhere.origin}/grab` } });
    const res = await h.manager.fetchFor('redir')(url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(307);
    expect(elsewhere.requests).toHaveLength(0);

    s.route('/mcp', { status: 307, headers: { Location: '/mcp2' } });
    s.route('/mcp2', (r) => ({ json: { auth: r.headers.authorization ?? null, method: r.method, body: r.body } }));
    const same = (await (await h.manager.fetchFor('redir')(url, { method: 'POST', body: '{"x":1}' })).json()) as Record<string, unknown>;
    expect(same).toEqual({ auth: 'Bearer AT-hostile-123456', method: 'POST', body: '{"x":1}' });
  });
});
