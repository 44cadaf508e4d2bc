import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRequiredError, createHeadlessBrowser } from '../../electron/core/auth';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import type { BrowserOpener } from '../../electron/core/ports';
import { IpcError } from '../../shared/contract/errors';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { callTool, findCause, makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// Attack families:
// 1. Authorization-server mix-up (RFC 9207): an authorization response reaches our
//    loopback callback with an `iss` that is not the issuer we sent the user to (or
//    without one from an AS that always sends it). The code must never reach a
//    token endpoint.
// 2. DPoP key confusion: a program that can write the settings file makes one
//    grant sign its proofs with another grant's key, by moving the encrypted key
//    record or by rewriting the grant's key thumbprint.

const track = useCleanup();
let as: AuthorizationServerFixture;
let mcp: ProtectedMcpServerFixture;

beforeAll(async () => {
  as = await startAuthorizationServer({ approval: 'auto' });
  mcp = await startProtectedMcpServer({ issuer: as.issuer });
});
afterAll(async () => {
  await mcp?.close();
  await as?.close();
});

/** A browser that completes the real AS's login, then delivers a tampered authorization response to the loopback callback. */
function tamperingBrowser(tamper: (callback: URL) => void): BrowserOpener {
  const inner = createHeadlessBrowser({ stopAt: (u) => u.hostname === '127.0.0.1' && u.origin !== new URL(as.issuer).origin });
  return {
    async open(url) {
      await inner.open(url);
      const callback = new URL(inner.stoppedAt()!.href);
      tamper(callback);
      await (await fetch(callback)).body?.cancel();
    },
  };
}

describe('RFC 9207 iss checks against a real authorization server', () => {
  const cases: [string, (u: URL) => void][] = [
    ['another issuer', (u) => u.searchParams.set('iss', 'https://attacker.example')],
    ['the issuer with a trailing slash (no normalisation)', (u) => u.searchParams.set('iss', `${as.issuer}/`)],
    ['no iss although the AS advertises it', (u) => u.searchParams.delete('iss')],
  ];
  it.each(cases)('a callback with %s is refused before the code is exchanged', async (_name, tamper) => {
    const h = track(makeHarness({ browser: tamperingBrowser(tamper) }));
    const plan = await h.manager.prepareSignIn({ id: 'mixup', url: mcp.url });
    const error = await h.manager.completeSignIn(plan.planId).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe('AUTH_FAILED');
    expect((error as IpcError).message).toMatch(/RFC 9207/);
    expect((error as IpcError).message).toMatch(/code was not used/);
    expect(h.exchanges.filter((e) => e.phase === 'token')).toEqual([]);
    expect(await h.manager.getGrant('mixup')).toBeUndefined();
  });

  it('control: the untampered response (iss = issuer) signs in', async () => {
    const h = track(makeHarness({ browser: tamperingBrowser(() => undefined) }));
    const plan = await h.manager.prepareSignIn({ id: 'ok', url: mcp.url });
    expect((await h.manager.completeSignIn(plan.planId)).needsSignIn).toBe(false);
  });
});

describe('a DPoP key bound to another grant', () => {
  async function twoGrants() {
    const h = track(makeHarness());
    for (const id of ['alice', 'mallory']) {
      const plan = await h.manager.prepareSignIn({ id, url: mcp.url });
      await h.manager.completeSignIn(plan.planId);
    }
    const a = (await h.manager.getGrant('alice'))!;
    const m = (await h.manager.getGrant('mallory'))!;
    expect(a.dpop!.thumbprint).not.toBe(m.dpop!.thumbprint);
    return { h, a, m };
  }

  async function refusedWithoutProof(dir: string, message: RegExp) {
    const reopened = track(makeHarness({ dir }));
    const proofs = mcp.stats.dpop;
    const seen = mcp.authorizationHeaders.length;
    const error = await callTool(reopened.manager, 'mallory', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    const auth = findCause(error, AuthRequiredError);
    expect(auth).toBeInstanceOf(AuthRequiredError);
    expect(auth!.message).toMatch(message);
    // Nothing was sent: no proof signed with alice's key on mallory's behalf, no token either.
    expect(mcp.stats.dpop).toBe(proofs);
    expect(mcp.authorizationHeaders.length).toBe(seen);
    // The Sign-in tab says so.
    const view = await reopened.manager.getGrant('mallory');
    expect(view?.needsSignIn).toBe(true);
    expect(view?.lastError).toMatch(message);
  }

  it("alice's encrypted key record moved under mallory's key does not decrypt; mallory's requests stop", async () => {
    const { h, a } = await twoGrants();
    const store = createConfStore(h.dir);
    const vault = store.get('vault') as Record<string, unknown>;
    const aliceKey = Object.keys(vault).find((k) => k.startsWith('auth:dpop:alice:'))!;
    const malloryKey = Object.keys(vault).find((k) => k.startsWith('auth:dpop:mallory:'))!;
    store.set('vault', { ...vault, [malloryKey]: vault[aliceKey] });
    // …and mallory's grant now claims alice's thumbprint, so the moved key would match it.
    const grants = store.get('auth.grants') as Record<string, { dpop: { jkt: string } }>;
    grants.mallory!.dpop.jkt = a.dpop!.thumbprint;
    store.set('auth.grants', grants);
    await refusedWithoutProof(h.dir, /DPoP key of this sign-in cannot be decrypted/);
  });

  it("mallory's grant rewritten to alice's thumbprint: its own key no longer matches, and is not used", async () => {
    const { h, a } = await twoGrants();
    const store = createConfStore(h.dir);
    const grants = store.get('auth.grants') as Record<string, { dpop: { jkt: string } }>;
    grants.mallory!.dpop.jkt = a.dpop!.thumbprint;
    store.set('auth.grants', grants);
    await refusedWithoutProof(h.dir, /belongs to another sign-in/);
  });
});
