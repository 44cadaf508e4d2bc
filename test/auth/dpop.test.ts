import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { callTool, makeHarness, type Harness } from '../helpers/auth-harness';
import { fakeClock } from '../helpers/fake-clock';
import { useCleanup } from '../helpers/cleanup';

// DPoP (RFC 9449) end to end: oidc-provider (which advertises
// dpop_signing_alg_values_supported and binds tokens to the proof key) and the
// SDK MCP server as a protected resource that verifies every proof.

const track = useCleanup();
const harness = (...args: Parameters<typeof makeHarness>) => track(makeHarness(...args));

let as: AuthorizationServerFixture;
let mcp: ProtectedMcpServerFixture;
let nonceAs: AuthorizationServerFixture;
let nonceMcp: ProtectedMcpServerFixture;

beforeAll(async () => {
  as = await startAuthorizationServer({ approval: 'auto' });
  mcp = await startProtectedMcpServer({ issuer: as.issuer });
  nonceAs = await startAuthorizationServer({ approval: 'auto', dpop: 'nonce' });
  nonceMcp = await startProtectedMcpServer({ issuer: nonceAs.issuer, requireDpopNonce: true });
});
afterAll(async () => {
  for (const f of [mcp, as, nonceMcp, nonceAs]) await f?.close();
});

async function signIn(h: Harness, id: string, url = mcp.url) {
  const plan = await h.manager.prepareSignIn({ id, url });
  return { plan, grant: await h.manager.completeSignIn(plan.planId) };
}

async function directRefresh(issuer: string, refreshToken: string, clientId: string, resource: string): Promise<number> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, resource }),
  });
  await res.body?.cancel();
  return res.status;
}

describe('DPoP', () => {
  test('sign-in binds the token to a per-grant key: proof at the token endpoint, DPoP scheme and a fresh proof on every MCP request', async () => {
    const h = harness();
    const { plan, grant } = await signIn(h, 'dpop');
    expect(Object.keys(h.vault.snapshot()).filter((k) => k.startsWith('auth:dpop:dpop:'))).toEqual([`auth:dpop:dpop:${as.issuer} ${mcp.resource}`]);
    expect(plan.dpopAlg).toBe('ES256');
    // The authorization code is bound to the key too (dpop_jkt, RFC 9449 §10).
    const authUrl = new URL(h.browser.opened[0]!);
    expect(authUrl.searchParams.get('dpop_jkt')).toBe(grant.dpop?.thumbprint);
    expect(grant.dpop).toEqual({ alg: 'ES256', thumbprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), senderConstrained: true });
    const token = h.exchanges.find((e) => e.phase === 'token' && e.status === 200)!;
    expect(token.requestHeaders.dpop).toMatch(/^ey/);

    const before = mcp.stats.dpop;
    expect(await callTool(h.manager, 'dpop', mcp.url, 'echo', { text: 'bound' })).toBe('bound');
    const mcpCalls = h.exchanges.filter((e) => e.phase === 'mcp');
    expect(mcpCalls.length).toBeGreaterThan(1);
    for (const e of mcpCalls) {
      expect(e.requestHeaders.authorization).toMatch(/^DPoP /);
      expect(e.requestHeaders.dpop).toMatch(/^ey/);
    }
    // Every proof was fresh (the server refuses a reused jti) and signed by the grant's key.
    expect(new Set(mcpCalls.map((e) => e.requestHeaders.dpop)).size).toBe(mcpCalls.length);
    expect(mcp.stats.dpop - before).toBe(mcpCalls.length);
    expect(mcp.dpopThumbprints.at(-1)).toBe(grant.dpop!.thumbprint);

    // The private key is in the vault, encrypted: no JWK on disk in the clear.
    expect(h.diskText()).not.toMatch(/"kty"|"crv"|P-256/);
  });

  test('a nonce-demanding AS and MCP server: use_dpop_nonce at each is answered with a retry carrying their nonce', async () => {
    const h = harness();
    const { grant } = await signIn(h, 'nonce', nonceMcp.url);
    expect(grant.dpop?.senderConstrained).toBe(true);
    const tokenCalls = h.exchanges.filter((e) => e.phase === 'token');
    expect(tokenCalls.map((e) => e.status)).toEqual([400, 200]); // use_dpop_nonce, then the retry with the nonce
    expect(tokenCalls[0]!.responseHeaders['dpop-nonce']).toBeTruthy();

    const challenges = nonceMcp.stats.nonceChallenges;
    expect(await callTool(h.manager, 'nonce', nonceMcp.url, 'echo', { text: 'with nonce' })).toBe('with nonce');
    expect(nonceMcp.stats.nonceChallenges - challenges).toBe(1); // once: the handle keeps the nonce for later requests
  });

  test('refresh sends a proof (the refresh token is bound too); a stolen refresh token is useless without the key; revocation works', async () => {
    const clock = fakeClock();
    const h = harness({ clock });
    const { grant } = await signIn(h, 'refresh');
    const first = (await h.tokens('refresh'))!;
    // Without the key, the AS refuses the (bound) refresh token.
    expect(await directRefresh(as.issuer, first.refresh_token!, grant.clientId, mcp.resource)).toBe(400);

    clock.offset = grant.accessTokenExpiresAt! - Date.now() - 30_000; // inside the refresh skew
    expect(await callTool(h.manager, 'refresh', mcp.url, 'echo', { text: 'after refresh' })).toBe('after refresh');
    const refreshed = (await h.tokens('refresh'))!;
    expect(refreshed.access_token).not.toBe(first.access_token);
    const refreshCall = h.exchanges.filter((e) => e.phase === 'token' && e.status === 200).at(-1)!;
    expect(refreshCall.requestHeaders.dpop).toMatch(/^ey/);
    const view = await h.manager.getGrant('refresh');
    expect(view?.dpop).toEqual(grant.dpop); // same key across refreshes
    expect(view?.lastRefreshAt).toBeDefined();

    const result = await h.manager.revoke('refresh');
    expect(result.revokedAtServer).toBe(true);
    expect(await h.manager.getGrant('refresh')).toBeUndefined();
    expect(Object.keys(h.vault.snapshot()).filter((k) => k.startsWith('auth:dpop:refresh:'))).toEqual([]);
  });

  test('an AS without DPoP gets Bearer, as before', async () => {
    const plain = await startAuthorizationServer({ approval: 'auto', dpop: false });
    const plainMcp = await startProtectedMcpServer({ issuer: plain.issuer });
    try {
      const h = harness();
      const plan = await h.manager.prepareSignIn({ id: 'plain', url: plainMcp.url });
      expect(plan.dpopAlg).toBeUndefined();
      const grant = await h.manager.completeSignIn(plan.planId);
      expect(grant.dpop).toBeUndefined();
      expect(await callTool(h.manager, 'plain', plainMcp.url, 'echo', { text: 'b' })).toBe('b');
      expect(plainMcp.authorizationHeaders.at(-1)).toMatch(/^Bearer /);
    } finally {
      await plainMcp.close();
      await plain.close();
    }
  });
});
