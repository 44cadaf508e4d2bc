import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import type { IpcError } from '../../shared/contract/errors';
import { startWorkloadAuthServer } from '../fixtures/auth/workload-auth-server';
import { makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';
import { fakeClock } from '../helpers/fake-clock';

// Workload identity federation (SEP-1933): the RFC 7523 jwt-bearer grant with the
// workload's platform-issued JWT as the assertion. The AS on 127.0.0.1 verifies
// the JWT's signature, audience and expiry with jose, as a real AS would against
// the platform issuer's JWKS. The JWT is read from its file or variable at each
// sign-in and renewal, so the platform's rotation is picked up; nothing of it is
// written to disk by Switchboard.

const track = useCleanup();
const envNames: string[] = [];
afterEach(() => {
  for (const n of envNames.splice(0)) delete process.env[n];
});
const workloadWorld = async () => {
  const w = await startWorkloadAuthServer();
  track(w.as);
  return w;
};

describe('workload identity (SEP-1933 jwt-bearer)', () => {
  test('from a token file: no browser, token works, renewed with the rotated file when it expires; nothing copied to disk', async () => {
    const w = await workloadWorld();
    const clock = fakeClock();
    const h = makeHarness({ clock });
    track(h);
    const tokenFile = join(track.tempDir(), 'token');
    const first = await w.mint('system:serviceaccount:ci:agent');
    writeFileSync(tokenFile, `${first}\n`);
    const server = { id: 'wl', url: w.url, oauthClient: { clientId: 'workload-client' }, workloadIdentity: { kind: 'file' as const, path: tokenFile } };

    const plan = await h.manager.prepareSignIn(server);
    expect(plan).toMatchObject({
      grantType: 'workload-identity',
      registration: 'pre-registered',
      scopes: ['mcp:read'],
      assertionSource: `the file ${tokenFile}`,
    });
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant).toMatchObject({ grantType: 'workload-identity', clientId: 'workload-client', hasRefreshToken: false, needsSignIn: false });
    expect(h.browser.opened).toEqual([]);
    expect(w.assertions).toEqual([first]);
    const call = async () => (await (await h.manager.fetchFor('wl')(w.url, { method: 'POST', body: '{}' })).json()) as { ok: string };
    expect(await call()).toEqual({ ok: 'Bearer at-workload-1' });

    // The platform rotates the token; the access token expires: the new file content is presented, no user involved.
    const rotated = await w.mint('system:serviceaccount:ci:agent');
    writeFileSync(tokenFile, rotated);
    clock.offset = grant.accessTokenExpiresAt! - Date.now() + 1000;
    expect(await call()).toEqual({ ok: 'Bearer at-workload-2' });
    expect(w.assertions).toEqual([first, rotated]);
    expect(h.browser.opened).toEqual([]);
    for (const secret of [first, rotated, 'at-workload-1', 'at-workload-2']) expect(h.diskText()).not.toContain(secret);
  });

  test('from an environment variable holding the JWT, or the path of a file holding it', async () => {
    const w = await workloadWorld();
    const h = makeHarness();
    track(h);
    const direct = await w.mint('direct');
    process.env.SB_TEST_WORKLOAD_JWT = direct;
    envNames.push('SB_TEST_WORKLOAD_JWT');
    const plan = await h.manager.prepareSignIn({
      id: 'env1',
      url: w.url,
      oauthClient: { clientId: 'workload-client' },
      workloadIdentity: { kind: 'env', name: 'SB_TEST_WORKLOAD_JWT' },
    });
    expect(plan.assertionSource).toBe('the environment variable SB_TEST_WORKLOAD_JWT');
    await h.manager.completeSignIn(plan.planId);

    const viaFile = await w.mint('via-file');
    const file = join(track.tempDir(), 'azure-federated-token');
    writeFileSync(file, viaFile);
    process.env.SB_TEST_WORKLOAD_FILE = file;
    envNames.push('SB_TEST_WORKLOAD_FILE');
    const plan2 = await h.manager.prepareSignIn({
      id: 'env2',
      url: w.url,
      oauthClient: { clientId: 'workload-client' },
      workloadIdentity: { kind: 'env', name: 'SB_TEST_WORKLOAD_FILE' },
    });
    await h.manager.completeSignIn(plan2.planId);
    expect(w.assertions).toEqual([direct, viaFile]);
  });

  test('a missing file, a file that is not a JWT, an unset variable: AUTH_FAILED naming the source, nothing sent; a rejected JWT is not retried', async () => {
    const w = await workloadWorld();
    const h = makeHarness();
    track(h);
    const dir = track.tempDir();
    const attempt = async (workloadIdentity: { kind: 'file'; path: string } | { kind: 'env'; name: string }) => {
      const plan = await h.manager.prepareSignIn({ id: 'bad', url: w.url, oauthClient: { clientId: 'workload-client' }, workloadIdentity });
      return (await h.manager.completeSignIn(plan.planId).catch((e: unknown) => e)) as IpcError;
    };
    const missing = await attempt({ kind: 'file', path: join(dir, 'nope') });
    expect(missing).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringContaining(join(dir, 'nope')) });
    const notJwt = join(dir, 'not-a-jwt');
    writeFileSync(notJwt, 'password=hunter2-0123456789');
    const bad = await attempt({ kind: 'file', path: notJwt });
    expect(bad).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/is not a JWT/) });
    expect(bad.message).not.toContain('hunter2');
    expect(await attempt({ kind: 'env', name: 'SB_TEST_UNSET_WORKLOAD_VAR' })).toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/not set/),
    });
    expect(w.tokenRequests()).toBe(0);

    // Signed by someone else: the AS says invalid_grant once; Switchboard reports it and does not retry or switch grants.
    const forged = await w.mint('intruder', (await generateKeyPair('ES256')).privateKey);
    const forgedFile = join(dir, 'forged');
    writeFileSync(forgedFile, forged);
    const rejected = await attempt({ kind: 'file', path: forgedFile });
    expect(rejected).toMatchObject({ code: 'AUTH_FAILED', details: { oauthError: 'invalid_grant' } });
    expect(rejected.message).not.toContain(forged);
    expect(w.tokenRequests()).toBe(1);
    expect(await h.manager.getGrant('bad')).toBeUndefined();
  });

  test('a relative path or a malformed variable name is refused before anything happens', async () => {
    const w = await workloadWorld();
    const h = makeHarness();
    track(h);
    await expect(
      h.manager.prepareSignIn({ id: 'v', url: w.url, oauthClient: { clientId: 'c' }, workloadIdentity: { kind: 'file', path: 'token' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      h.manager.prepareSignIn({ id: 'v', url: w.url, oauthClient: { clientId: 'c' }, workloadIdentity: { kind: 'env', name: 'A B; rm' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(w.as.requests).toHaveLength(0);
  });
});
