import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { createHeadlessBrowser } from '../../electron/core/auth';
import { AuthManager } from '../../electron/core/auth';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../../electron/core/node-ports/keyfile-cipher';
import type { Cipher } from '../../electron/core/ports';
import { Vault } from '../../electron/core/vault/vault';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { asMetadata, startScriptedServer } from '../fixtures/auth/scripted-server';
import { callTool, makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

const track = useCleanup();
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

test('a rotated key (undecryptable vault record) shows needsSignIn with a reason, and the server asks for sign-in', async () => {
  const h = track(makeHarness());
  const plan = await h.manager.prepareSignIn({ id: 'k', url: mcp.url });
  await h.manager.completeSignIn(plan.planId);
  rmSync(join(h.dir, 'keys'), { recursive: true }); // a new key will be generated: old ciphertext no longer decrypts
  const again = makeHarness({ dir: h.dir });
  const view = await again.manager.getGrant('k');
  expect(view).toMatchObject({ needsSignIn: true, hasRefreshToken: false });
  expect(view?.lastError).toMatch(/cannot be decrypted/);
  await expect(callTool(again.manager, 'k', mcp.url, 'echo', { text: 'x' })).rejects.toThrow(/requires sign-in/);
});

test('without a secure cipher, tokens stay in memory: storage=memory, nothing on disk, needsSignIn after restart', async () => {
  const h = track(makeHarness());
  const keyfile = createKeyfileCipher(join(h.dir, 'keys', 'k'));
  const insecure: Cipher = { ...keyfile, isSecure: async () => false, backend: async () => 'basic_text' };
  const store = createConfStore(h.dir, 'insecure');
  const manager = new AuthManager({ vault: new Vault(insecure, store), store, browser: createHeadlessBrowser() });
  const plan = await manager.prepareSignIn({ id: 'm', url: mcp.url });
  const grant = await manager.completeSignIn(plan.planId);
  expect(grant.storage).toBe('memory');
  expect(await callTool(manager, 'm', mcp.url, 'echo', { text: 'mem' })).toBe('mem');
  expect(h.diskText()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no JWT anywhere on disk
  const restarted = new AuthManager({ vault: new Vault(insecure, store), store, browser: createHeadlessBrowser() });
  expect(await restarted.getGrant('m')).toMatchObject({ needsSignIn: true, storage: 'memory' });
});

test('2025-03-26 server with no metadata at all: full sign-in against the default /authorize /token /register', async () => {
  const s = await startScriptedServer();
  const h = track(makeHarness());
  track(s);
  s.route('POST /register', (r) => ({
    status: 201,
    json: { client_id: 'legacy-client', redirect_uris: (JSON.parse(r.body) as { redirect_uris: string[] }).redirect_uris, token_endpoint_auth_method: 'none' },
  }));
  s.route('GET /authorize', (r) => {
    const back = new URL(r.query.get('redirect_uri')!);
    back.searchParams.set('code', 'legacy-code');
    back.searchParams.set('state', r.query.get('state')!);
    return { status: 302, headers: { Location: back.href } };
  });
  s.route('POST /token', (r) => {
    const form = new URLSearchParams(r.body);
    const ok =
      form.get('code') === 'legacy-code' &&
      form.get('code_verifier') &&
      form.get('client_id') === 'legacy-client' &&
      form.get('resource') === `${s.origin}/mcp`;
    return ok ? { json: { access_token: 'legacy-at', token_type: 'Bearer', expires_in: 600 } } : { status: 400, json: { error: 'invalid_grant' } };
  });
  s.route('/mcp', (r) => (r.headers.authorization === 'Bearer legacy-at' ? { json: { ok: true } } : { status: 401, text: '' }));
  const plan = await h.manager.prepareSignIn({ id: 'legacy', url: `${s.origin}/mcp` });
  const grant = await h.manager.completeSignIn(plan.planId);
  expect(grant).toMatchObject({ issuer: s.origin, clientId: 'legacy-client', registration: 'dynamic', hasRefreshToken: false, revocationSupported: false });
  const registration = JSON.parse(s.requests.find((r) => r.path === '/register')!.body) as Record<string, unknown>;
  const authorize = s.requests.find((r) => r.path === '/authorize')!;
  expect(registration).toMatchObject({
    redirect_uris: [authorize.query.get('redirect_uri')],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    response_types: ['code'],
  });
  expect(new URL(authorize.query.get('redirect_uri')!).hostname).toBe('127.0.0.1');
  expect(authorize.query.get('code_challenge_method')).toBe('S256');
  const res = await h.manager.fetchFor('legacy')(`${s.origin}/mcp`);
  expect(res.status).toBe(200);
  // the token is never presented to another origin
  const other = track(await startScriptedServer({ '/mcp': (r) => ({ json: { auth: r.headers.authorization ?? null } }) }));
  const leaked = (await (await h.manager.fetchFor('legacy')(`${other.origin}/mcp`)).json()) as { auth: string | null };
  expect(leaked.auth).toBeNull();
  // and without metadata there is no revocation: local deletion, said plainly
  expect(await h.manager.revoke('legacy')).toMatchObject({ revokedAtServer: false, message: expect.stringMatching(/still exists there/) });
});

test('pre-registered confidential client: secret in the vault only, used with client_secret_basic', async () => {
  const s = await startScriptedServer();
  const h = track(makeHarness());
  const SECRET = 'pre-registered-secret-value';
  track(s);
  s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: `${s.origin}/mcp`, authorization_servers: [s.origin] } });
  s.route('GET /.well-known/oauth-authorization-server', {
    json: asMetadata(s.origin, { registration_endpoint: undefined, token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] }),
  });
  s.route('GET /authorize', (r) => {
    const back = new URL(r.query.get('redirect_uri')!);
    back.searchParams.set('code', 'c');
    back.searchParams.set('state', r.query.get('state')!);
    return { status: 302, headers: { Location: back.href } };
  });
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64
  const basic = (h?: string) =>
    h?.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent).join(':') : undefined;
  s.route('POST /token', (r) =>
    basic(r.headers.authorization) === `my-client:${SECRET}` && !r.body.includes(SECRET)
      ? { json: { access_token: 'at-x', token_type: 'Bearer', scope: 'a b' } }
      : { status: 401, json: { error: 'invalid_client' } },
  );
  const server = { id: 'pre', url: `${s.origin}/mcp`, oauthClient: { clientId: 'my-client', clientSecret: SECRET, scopes: 'a b' } };
  const plan = await h.manager.prepareSignIn(server);
  expect(plan).toMatchObject({ registration: 'pre-registered', scopes: ['a', 'b'], scopeSource: 'configured' });
  const grant = await h.manager.completeSignIn(plan.planId);
  expect(grant).toMatchObject({ clientId: 'my-client', registration: 'pre-registered', scopesGranted: ['a', 'b'] });
  expect(new URL(s.requests.find((r) => r.path === '/authorize')!.query.get('redirect_uri')!).pathname).toBe('/callback');
  expect(h.diskText()).not.toContain(SECRET);
  expect(h.diskText()).not.toContain('at-x');
});
