import { beforeAll, describe, expect, test } from 'vitest';
import { AuthRequiredError, StepUpRequiredError, createHeadlessBrowser } from '../../electron/core/auth';
import type { BrowserOpener } from '../../electron/core/ports';
import { IpcError } from '../../shared/contract/errors';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { createDevInteractionUser } from '../fixtures/auth/dev-interaction-user';
import { callTool, findCause, makeHarness, type Harness } from '../helpers/auth-harness';
import { fakeClock } from '../helpers/fake-clock';
import { useCleanup } from '../helpers/cleanup';

// Full OAuth flows against a real oidc-provider and a real SDK MCP server on 127.0.0.1.
// Bearer tokens: the AS has DPoP switched off here (DPoP flows: dpop.test.ts).

const track = useCleanup();
let as: AuthorizationServerFixture;
let mcp: ProtectedMcpServerFixture;
const harness = (...args: Parameters<typeof makeHarness>) => track(makeHarness(...args));

beforeAll(async () => {
  as = await startAuthorizationServer({ approval: 'auto', dpop: false });
  mcp = await startProtectedMcpServer({ issuer: as.issuer });
  return async () => {
    await mcp.close();
    await as.close();
  };
});

async function signIn(h: Harness, id: string, url = mcp.url) {
  const plan = await h.manager.prepareSignIn({ id, url });
  return { plan, grant: await h.manager.completeSignIn(plan.planId) };
}

async function directRefresh(refreshToken: string, clientId: string, resource: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${as.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('sign-in', () => {
  test('an unauthenticated request raises AuthRequiredError carrying the challenge', async () => {
    const h = harness();
    const error = await callTool(h.manager, 'none', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    const auth = findCause(error, AuthRequiredError);
    expect(auth).toBeInstanceOf(AuthRequiredError);
    expect(auth!.code).toBe('AUTH_REQUIRED');
    expect(auth!.challenge).toContain(`resource_metadata="${mcp.prmUrl}"`);
  });

  test('first sign-in: discovery, DCR, PKCE + state + resource, tokens usable at the MCP server', async () => {
    const h = harness();
    const challenge = `Bearer resource_metadata="${mcp.prmUrl}"`;
    const plan = await h.manager.prepareSignIn({ id: 'first', url: mcp.url }, { challenge });
    expect(plan).toMatchObject({
      serverId: 'first',
      serverUrl: mcp.url,
      resource: mcp.resource,
      issuer: as.issuer,
      issuerRelation: 'third-party',
      registration: 'dynamic',
      scopes: ['mcp:read', 'mcp:write', 'offline_access'],
      scopeSource: 'scopes_supported',
      addedScopes: ['mcp:read', 'mcp:write', 'offline_access'],
      revocationSupported: true,
    });
    expect(h.browser.opened).toEqual([]); // prepare never opens the browser

    const grant = await h.manager.completeSignIn(plan.planId);
    expect(h.browser.opened).toHaveLength(1);
    const authUrl = new URL(h.browser.opened[0]!);
    expect(`${authUrl.origin}${authUrl.pathname}`).toBe(`${as.issuer}/auth`);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authUrl.searchParams.get('state')?.length).toBeGreaterThan(20);
    expect(authUrl.searchParams.get('resource')).toBe(mcp.resource);
    expect(authUrl.searchParams.get('scope')).toBe('mcp:read mcp:write offline_access');
    const redirect = new URL(authUrl.searchParams.get('redirect_uri')!);
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toMatch(/^\/callback\/[0-9a-f]+$/);

    expect(grant).toMatchObject({
      serverId: 'first',
      issuer: as.issuer,
      resource: mcp.resource,
      registration: 'dynamic',
      hasRefreshToken: true,
      storage: 'encrypted',
      needsSignIn: false,
      revocationSupported: true,
    });
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    expect(grant.accessTokenExpiresAt).toBeGreaterThan(Date.now());
    expect(JSON.stringify(grant)).not.toMatch(/eyJ/); // no JWT in the view
    expect(h.changed).toContain('first');

    const who = JSON.parse(await callTool(h.manager, 'first', mcp.url, 'whoami')) as { sub: string; aud: string; clientId: string };
    expect(who).toMatchObject({ sub: 'alice', aud: mcp.resource, clientId: grant.clientId });

    // The recorder saw every phase, with headers passed through.
    const phases = new Set(h.exchanges.map((e) => e.phase));
    expect([...phases].sort()).toEqual(['discovery', 'mcp', 'registration', 'token']);
    const tokenCall = h.exchanges.find((e) => e.phase === 'token')!;
    expect(tokenCall).toMatchObject({ method: 'POST', status: 200, url: `${as.issuer}/token` });
    expect(h.exchanges.filter((e) => e.phase === 'mcp').every((e) => e.requestHeaders.authorization?.startsWith('Bearer '))).toBe(true);

    // Tokens are in the vault, encrypted; never plaintext on disk.
    const tokens = await h.tokens('first');
    expect(tokens?.access_token).toMatch(/^eyJ/);
    expect(tokens?.refresh_token).toBeTruthy();
    const disk = h.diskText();
    expect(disk).toContain('aes-256-gcm-keyfile'); // the vault record is there...
    expect(disk).not.toContain(tokens!.access_token); // ...but not the tokens
    expect(disk).not.toContain(tokens!.refresh_token!);
  });

  test('reconnect after restart uses stored tokens without a browser; a second sign-in reuses the registered client', async () => {
    const h = harness();
    const { grant } = await signIn(h, 'restart');
    const again = harness({ dir: h.dir });
    expect(await callTool(again.manager, 'restart', mcp.url, 'echo', { text: 'hi' })).toBe('hi');
    expect(again.browser.opened).toEqual([]);
    expect(await again.manager.getGrant('restart')).toMatchObject({ clientId: grant.clientId, needsSignIn: false });

    const plan = await again.manager.prepareSignIn({ id: 'restart', url: mcp.url });
    expect(plan.registration).toBe('existing');
    // The AS does not echo offline_access in `scope`, but the grant holds a refresh token: nothing is new.
    expect(plan.addedScopes).toEqual([]);
    const regs = as.requests.filter((r) => r.path === '/reg').length;
    const second = await again.manager.completeSignIn(plan.planId);
    expect(second.clientId).toBe(grant.clientId);
    expect(as.requests.filter((r) => r.path === '/reg').length).toBe(regs);
  });

  test('the standard dev interaction pages (login + consent forms) complete a sign-in, as a real browser would', async () => {
    const user = createDevInteractionUser('bob');
    const h = harness({ browser: user });
    as.setApproval('interactive');
    track.defer(() => as.setApproval('auto'));
    const { grant } = await signIn(h, 'interactive');
    expect(user.pages).toEqual(['login', 'consent']);
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write']));
    const who = JSON.parse(await callTool(h.manager, 'interactive', mcp.url, 'whoami')) as { sub: string };
    expect(who.sub).toBe('bob');
  });

  test('an AS that needs a person (interactive pages) fails fast with the headless browser instead of timing out', async () => {
    const h = harness();
    as.setApproval('interactive');
    track.defer(() => as.setApproval('auto'));
    const plan = await h.manager.prepareSignIn({ id: 'headless-interactive', url: mcp.url });
    const started = Date.now();
    await expect(h.manager.completeSignIn(plan.planId)).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/Could not open the browser: The authorization server did not redirect back/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('cancelSignIn leaves everything as it was', async () => {
    const h = harness({ browser: { open: async () => undefined } });
    const plan = await h.manager.prepareSignIn({ id: 'cancel', url: mcp.url });
    const pending = h.manager.completeSignIn(plan.planId);
    await new Promise((r) => setTimeout(r, 200));
    h.manager.cancelSignIn(plan.planId);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await h.manager.getGrant('cancel')).toBeUndefined();
    await expect(h.manager.completeSignIn(plan.planId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('access_denied at the AS reaches the caller clearly and stores nothing', async () => {
    const h = harness();
    as.setApproval('deny');
    track.defer(() => as.setApproval('auto'));
    const plan = await h.manager.prepareSignIn({ id: 'deny', url: mcp.url });
    const error = await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/access_denied.*said no/) });
    expect(await h.manager.getGrant('deny')).toBeUndefined();
  });
});

describe('state checking in the real flow', () => {
  /** A browser that walks the AS redirects itself, then delivers forged callbacks before (optionally) the real one. */
  const tamperingBrowser = (deliverGenuine: boolean, seen: number[]): BrowserOpener => {
    return {
      async open(url: string) {
        const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
        // Walk the AS redirects, but stop at (and do not deliver) the callback.
        const walker = createHeadlessBrowser({ stopAt: (u) => `${u.origin}${u.pathname}` === redirectUri });
        await walker.open(url);
        const callback = walker.stoppedAt();
        const cb = callback!;
        const forged = new URL(cb);
        forged.searchParams.set('state', 'forged-state');
        seen.push((await fetch(forged)).status);
        const missing = new URL(cb);
        missing.searchParams.delete('state');
        seen.push((await fetch(missing)).status);
        if (deliverGenuine) seen.push((await fetch(cb)).status);
      },
    };
  };

  test('wrong or missing state is not accepted; the genuine callback still completes', async () => {
    const seen: number[] = [];
    const h = harness({ browser: tamperingBrowser(true, seen) });
    const { grant } = await signIn(h, 'state-ok');
    expect(seen).toEqual([400, 400, 200]);
    expect(grant.needsSignIn).toBe(false);
  });

  test('only forged callbacks: the sign-in times out, nothing stored', async () => {
    const seen: number[] = [];
    const h = harness({ browser: tamperingBrowser(false, seen), deps: { signInTimeoutMs: 1500 } });
    const plan = await h.manager.prepareSignIn({ id: 'state-bad', url: mcp.url });
    await expect(h.manager.completeSignIn(plan.planId)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(seen).toEqual([400, 400]);
    expect(await h.manager.getGrant('state-bad')).toBeUndefined();
  });
});

describe('refresh', () => {
  test('proactive refresh shortly before expiry; rotated refresh token stored; old one dead', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'proactive');
    const before = (await h.tokens('proactive'))!;
    const tokenCalls = () => as.requests.filter((r) => r.path === '/token').length;
    const calls = tokenCalls();
    const unauthorized = mcp.stats.unauthorized;

    expect(await callTool(h.manager, 'proactive', mcp.url, 'echo', { text: 'a' })).toBe('a');
    expect(tokenCalls()).toBe(calls); // not near expiry: no refresh

    clock.offset = grant.accessTokenExpiresAt! - Date.now() - 30_000; // 30 s before expiry (skew is 60 s)
    expect(await callTool(h.manager, 'proactive', mcp.url, 'echo', { text: 'b' })).toBe('b');
    expect(tokenCalls()).toBe(calls + 1); // exactly one refresh for the whole session of requests
    expect(mcp.stats.unauthorized).toBe(unauthorized); // proactive: the server never saw a stale token

    const after = (await h.tokens('proactive'))!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token); // rotated and saved
    const view = (await h.manager.getGrant('proactive'))!;
    expect(view.lastRefreshAt).toBeGreaterThan(0);
    expect(view.accessTokenExpiresAt).toBeGreaterThan(grant.accessTokenExpiresAt!);

    // The rotated-out refresh token is rejected by the AS.
    expect((await directRefresh(before.refresh_token!, grant.clientId, mcp.resource)).body.error).toBe('invalid_grant');
  });

  test('concurrent requests near expiry share one refresh (single-flight)', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'single');
    const calls = as.requests.filter((r) => r.path === '/token').length;
    clock.offset = grant.accessTokenExpiresAt! - Date.now();
    const f = h.manager.fetchFor('single');
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    const init = { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body };
    const results = await Promise.all(Array.from({ length: 5 }, () => f(mcp.url, init)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(as.requests.filter((r) => r.path === '/token').length).toBe(calls + 1);
  });

  test('reactive: a 401 for an expired token refreshes once and retries', async () => {
    as.setAccessTokenTtl(1);
    track.defer(() => as.setAccessTokenTtl(300));
    const clock = fakeClock();
    const h = harness({ clock, deps: { refreshSkewMs: 0 } });
    await signIn(h, 'reactive');
    await new Promise((r) => setTimeout(r, 2100));
    clock.offset = -10_000; // we still believe the token is valid; the server knows better
    const unauthorized = mcp.stats.unauthorized;
    const calls = as.requests.filter((r) => r.path === '/token').length;
    // a bare request (the SDK client would make several; one is enough here)
    const f = h.manager.fetchFor('reactive');
    const res = await f(mcp.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(200);
    expect(mcp.stats.unauthorized).toBe(unauthorized + 1);
    expect(as.requests.filter((r) => r.path === '/token').length).toBe(calls + 1);
  });

  test('the AS going down mid-refresh: clear error, grant kept, works again afterwards', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'down');
    const tokens = (await h.tokens('down'))!;
    clock.offset = grant.accessTokenExpiresAt! - Date.now() + 1000; // expired by our clock
    as.suspend();
    let error: unknown;
    try {
      error = await callTool(h.manager, 'down', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    } finally {
      as.resume();
    }
    const ipc = findCause(error, IpcError);
    expect(ipc?.code).toBe('CONNECTION_FAILED');
    expect(ipc?.message).toMatch(/Could not refresh the access token: could not reach the authorization server.*grant is kept/);
    for (const secret of [tokens.access_token, tokens.refresh_token!]) {
      expect(ipc!.message).not.toContain(secret);
      expect(JSON.stringify(ipc!.details ?? null)).not.toContain(secret);
    }
    const view = (await h.manager.getGrant('down'))!;
    expect(view).toMatchObject({ needsSignIn: false, hasRefreshToken: true });
    expect(view.lastError).toMatch(/could not reach/);
    expect(await h.tokens('down')).toEqual(tokens);

    expect(await callTool(h.manager, 'down', mcp.url, 'echo', { text: 'back' })).toBe('back');
    expect((await h.manager.getGrant('down'))!.lastError).toBeUndefined();
  });

  test('AS unreachable during a proactive refresh while the token is still valid: the request goes through with it', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'still-valid');
    const tokens = (await h.tokens('still-valid'))!;
    clock.offset = grant.accessTokenExpiresAt! - Date.now() - 30_000; // inside the refresh window, not expired
    as.suspend();
    try {
      expect(await callTool(h.manager, 'still-valid', mcp.url, 'echo', { text: 'ok' })).toBe('ok');
    } finally {
      as.resume();
    }
    expect((await h.tokens('still-valid'))!.access_token).toBe(tokens.access_token);
    expect((await h.manager.getGrant('still-valid'))!.lastError).toMatch(/could not reach/);
  });

  test('a refresh token the AS no longer accepts marks the grant needsSignIn', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'dead');
    const tokens = (await h.tokens('dead'))!;
    expect((await directRefresh(tokens.refresh_token!, grant.clientId, mcp.resource)).status).toBe(200); // rotates ours out
    clock.offset = grant.accessTokenExpiresAt! - Date.now() + 1000;
    const error = await callTool(h.manager, 'dead', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    const auth = findCause(error, AuthRequiredError);
    expect(auth).toBeInstanceOf(AuthRequiredError);
    expect(auth!.message).toMatch(/invalid_grant/);
    expect(auth!.message).not.toContain(tokens.refresh_token!);
    expect(await h.manager.getGrant('dead')).toMatchObject({ needsSignIn: true, hasRefreshToken: false });
  });
});

describe('step-up', () => {
  test('403 insufficient_scope -> StepUpRequiredError -> merged scopes -> tool works; attempts are capped', async () => {
    const h = harness();
    await signIn(h, 'step');
    const error = await callTool(h.manager, 'step', mcp.url, 'admin_echo', { text: 'x' }).catch((e: unknown) => e);
    const stepUp = findCause(error, StepUpRequiredError);
    expect(stepUp).toBeInstanceOf(StepUpRequiredError);
    expect(stepUp!.requiredScopes).toContain('mcp:admin');
    expect(stepUp!.challenge).toMatch(/insufficient_scope/);

    const plan = await h.manager.prepareSignIn({ id: 'step', url: mcp.url }, { challenge: stepUp!.challenge, stepUp: true });
    expect(plan.scopeSource).toBe('challenge');
    expect(plan.addedScopes).toContain('mcp:admin');
    expect(plan.addedScopes).not.toContain('mcp:read');
    expect(plan.scopes).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']));
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant.scopesGranted).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']));
    expect(await callTool(h.manager, 'step', mcp.url, 'admin_echo', { text: 'x' })).toBe('admin:x');

    // Two more attempts for the same scope set are allowed, the fourth is refused.
    for (let i = 0; i < 2; i++)
      h.manager.cancelSignIn((await h.manager.prepareSignIn({ id: 'step', url: mcp.url }, { challenge: stepUp!.challenge, stepUp: true })).planId);
    await expect(h.manager.prepareSignIn({ id: 'step', url: mcp.url }, { challenge: stepUp!.challenge, stepUp: true })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      details: { reason: 'step-up-limit' },
    });
  });
});

describe('ending a grant', () => {
  test('revoke: RFC 7009 at the AS, then local deletion; the AS rejects the refresh token afterwards', async () => {
    const h = harness();
    const { grant } = await signIn(h, 'revoke');
    const tokens = (await h.tokens('revoke'))!;
    const result = await h.manager.revoke('revoke');
    expect(result).toEqual({ revokedAtServer: true, message: expect.stringMatching(/Revoked at/) });
    // oidc-provider cannot revoke JWT access tokens (unsupported_token_type): said plainly
    expect(result.message).toMatch(/cannot revoke the current access token; it stays valid until/);
    expect(as.requests.filter((r) => r.path === '/token/revocation').length).toBeGreaterThanOrEqual(2);
    expect(h.exchanges.some((e) => e.phase === 'revocation' && e.status === 200)).toBe(true);
    expect(await h.manager.getGrant('revoke')).toBeUndefined();
    expect(await h.tokens('revoke')).toBeUndefined();
    const after = await directRefresh(tokens.refresh_token!, grant.clientId, mcp.resource);
    expect(after.status).toBe(400);
    expect(after.body.error).toBe('invalid_grant');
    // and the old access token no longer gets the MCP server to talk without a new sign-in
    const error = await callTool(h.manager, 'revoke', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    expect(findCause(error, AuthRequiredError)).toBeInstanceOf(AuthRequiredError);
  });

  test('signOut deletes locally only (the AS grant survives); forget removes everything', async () => {
    const h = harness();
    const { grant } = await signIn(h, 'out');
    const tokens = (await h.tokens('out'))!;
    await h.manager.signOut('out');
    expect(await h.manager.getGrant('out')).toBeUndefined();
    expect(await h.tokens('out')).toBeUndefined();
    expect((await directRefresh(tokens.refresh_token!, grant.clientId, mcp.resource)).status).toBe(200);

    await signIn(h, 'gone');
    await h.manager.forget('gone');
    expect(await h.manager.getGrant('gone')).toBeUndefined();
    expect(await h.tokens('gone')).toBeUndefined();
  });

  test('an AS without a revocation endpoint: local deletion, and the message says the grant lives on', async () => {
    const as2 = await startAuthorizationServer({
      approval: 'auto',
      configure: (c) => ({ ...c, features: { ...(c.features as object), revocation: { enabled: false } } }),
    });
    const mcp2 = await startProtectedMcpServer({ issuer: as2.issuer });
    track(mcp2);
    track(as2);
    const h = harness();
    const plan = await h.manager.prepareSignIn({ id: 'norevoke', url: mcp2.url });
    expect(plan.revocationSupported).toBe(false);
    await h.manager.completeSignIn(plan.planId);
    const result = await h.manager.revoke('norevoke');
    expect(result.revokedAtServer).toBe(false);
    expect(result.message).toMatch(/does not offer token revocation.*still exists there/);
    expect(await h.manager.getGrant('norevoke')).toBeUndefined();
  });
});
