import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../test/fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../test/fixtures/auth/protected-mcp-server';
import { asMetadata, startScriptedServer } from '../test/fixtures/auth/scripted-server';
import { createKeyfileCipher } from '../electron/core/node-ports/keyfile-cipher';
import { expect, test as appTest } from './fixtures';
import { addRemoteServer, filesUnder, openTool } from './helpers';
import { expectNoSeriousAxe } from './a11y';

// The heart of the product, through the GUI: add a remote server, read the
// consent screen, sign in on the authorization server's own pages in the page
// that opens, see the grant, use it, revoke it.

// A test names `as` and `rs` before `app`, so the app starts after them and closes first.
const test = appTest.extend<{ as: AuthorizationServerFixture; rs: ProtectedMcpServerFixture }>({
  as: async ({}, use) => {
    const as = await startAuthorizationServer({ approval: 'interactive', accessTokenTtl: 600 });
    await use(as);
    await as.close();
  },
  rs: async ({ as }, use) => {
    const rs = await startProtectedMcpServer({ issuer: as.issuer, scopesSupported: ['mcp:read', 'mcp:write'] });
    await use(rs);
    await rs.close();
  },
});

/** Plays the user on oidc-provider's login and consent pages, in the tab the app opened. */
async function signInAtAuthorizationServer(tab: Page) {
  await tab.waitForLoadState();
  await tab.locator('input[name="login"]').fill('alice');
  await tab.locator('input[name="password"]').fill('correct horse');
  await tab.locator('button[type="submit"]').click();
  await tab.getByRole('button', { name: /continue/i }).click();
  await expect(tab.locator('body')).toContainText('Switchboard');
}

/** Decrypts the vault's token records with the data dir's own key: the values that must never appear in plaintext. */
async function vaultTokens(dataDir: string): Promise<string[]> {
  const cipher = createKeyfileCipher(join(dataDir, 'vault.key'));
  const vault = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).vault as Record<string, { ciphertext: string }>;
  const values: string[] = [];
  for (const [key, record] of Object.entries(vault)) {
    if (!key.startsWith('auth:grant:')) continue;
    // The plaintext is the vault's envelope {v, key, value}; value is the token set.
    const envelope = JSON.parse((await cipher.decrypt(record.ciphertext)).plaintext) as { value: string };
    const tokens = JSON.parse(envelope.value) as Record<string, unknown>;
    for (const name of ['access_token', 'refresh_token']) if (typeof tokens[name] === 'string') values.push(tokens[name] as string);
  }
  return values;
}

/** Adds the protected server, signs in through the consent screen and the AS pages, waits until connected. */
async function addAndSignIn(page: Page, context: BrowserContext, rs: ProtectedMcpServerFixture) {
  await addRemoteServer(page, 'Protected', rs.url);
  const detail = page.getByRole('region', { name: 'Server Protected' });
  await detail.getByRole('button', { name: 'Connect' }).click();
  await detail.getByRole('button', { name: 'Sign in' }).click();
  const consent = page.getByRole('dialog', { name: 'Sign in to Protected' });
  const [tab] = await Promise.all([context.waitForEvent('page'), consent.getByRole('button', { name: 'Continue in browser' }).click()]);
  await signInAtAuthorizationServer(tab);
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  return detail;
}

test('sign in to a protected remote server, see the grant, revoke it', async ({ as, rs, app }) => {
  const { page, context } = app;
  const detail = page.getByRole('region', { name: 'Server Protected' });
  const consent = page.getByRole('dialog', { name: 'Sign in to Protected' });
  await test.step('add the server; it needs a sign-in', async () => {
    await addRemoteServer(page, 'Protected', rs.url);
    await detail.getByRole('button', { name: 'Connect' }).click();
    await expect(detail.getByRole('status', { name: 'Status: Sign-in needed' })).toBeVisible();
  });

  await test.step('the consent screen says who asks for what, and opens nothing yet', async () => {
    await detail.getByRole('button', { name: 'Sign in' }).click();
    await expect(consent.getByTestId('consent-issuer')).toHaveText(as.issuer);
    await expect(consent).toContainText('third party');
    await expect(consent).toContainText('Dynamic client registration');
    await expectNoSeriousAxe(page, 'consent screen');
    await expect(consent.getByRole('list', { name: 'Requested scopes' })).toContainText('mcp:read');
    await expect(consent.getByRole('list', { name: 'Requested scopes' })).toContainText('mcp:write');
    await expect(consent).toContainText(rs.resource);
    await expect(consent.getByTestId('consent-dpop')).toContainText('DPoP, ES256'); // oidc-provider does DPoP
    expect(context.pages()).toHaveLength(1); // nothing opened before the user continues
  });

  await test.step("sign in on the authorization server's own pages", async () => {
    const [tab] = await Promise.all([context.waitForEvent('page'), consent.getByRole('button', { name: 'Continue in browser' }).click()]);
    await signInAtAuthorizationServer(tab);
    await expect(consent).toBeHidden();
    await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  });

  await test.step('see the grant and use it', async () => {
    await detail.getByRole('tab', { name: 'Sign-in' }).click();
    await expect(detail.getByTestId('scopes-granted')).toContainText('mcp:read');
    await expect(detail.getByTestId('token-expiry')).toContainText(/expires in \d+ min/);
    await expect(detail.getByTestId('token-binding')).toContainText('sender-constrained (DPoP, ES256)');
    // Under _electron, Playwright forces Chromium's basic password store, so the app keeps tokens in memory instead.
    await expect(
      detail
        .getByRole('definition')
        .filter({ hasText: app.mode === 'electron' ? /encrypted on this computer|in memory for this session only/ : 'encrypted on this computer' }),
    ).toBeVisible();
    // Call a tool through the form with the grant.
    const echo = await openTool(detail, 'echo');
    await echo.getByLabel('text').fill('hello with a token');
    await echo.getByRole('button', { name: 'Run tool' }).click();
    await expect(echo.getByRole('region', { name: 'Result' }).getByTestId('call-status')).toHaveText('Succeeded');
    await expect(echo.getByRole('region', { name: 'Result' })).toContainText('hello with a token');
  });

  await test.step('no token in plaintext under the data dir', async () => {
    // No token in plaintext anywhere under the data dir: neither the access token the server saw,
    // nor the refresh token (read back through the vault's own key, bridge mode only).
    const tokens = [
      rs.authorizationHeaders
        .filter(Boolean)
        .at(-1)!
        .replace(/^Bearer /, ''),
    ];
    if (app.mode === 'chromium-bridge') tokens.push(...(await vaultTokens(app.dataDir)));
    expect(tokens.length).toBeGreaterThanOrEqual(app.mode === 'chromium-bridge' ? 3 : 1);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThan(20);
      for (const file of filesUnder(app.dataDir)) expect(readFileSync(file, 'utf8'), file).not.toContain(token);
    }
  });

  await test.step('revoke the grant at the authorization server', async () => {
    await detail.getByRole('tab', { name: 'Sign-in' }).click();
    await detail.getByRole('button', { name: 'Revoke' }).click();
    await detail.getByRole('button', { name: 'Revoke grant' }).click();
    await expect(detail.getByRole('status').filter({ hasText: `Revoked at ${as.issuer}` })).toBeVisible();
    await expect(detail.getByText('Not signed in.')).toBeVisible();
    await expect(detail.getByRole('status', { name: 'Status: Sign-in needed' })).toBeVisible();
    expect(as.requests.some((r) => r.method === 'POST' && r.path.includes('revocation'))).toBe(true);
  });
});

test('step-up: a tool that needs more scope offers to grant it, and shows exactly what is added', async ({ rs, app }) => {
  const { page, context } = app;
  const detail = await addAndSignIn(page, context, rs);

  const admin = await openTool(detail, 'admin_echo');
  await admin.getByLabel('text').fill('needs admin');
  await admin.getByRole('button', { name: 'Run tool' }).click();
  const result = admin.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('STEP_UP_REQUIRED');
  await result.getByRole('button', { name: 'Grant more access' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Grant more access to Protected?' });
  await expect(stepUp.getByTestId('consent-added')).toHaveText('mcp:admin');
  const [tab2] = await Promise.all([context.waitForEvent('page'), stepUp.getByRole('button', { name: 'Continue in browser' }).click()]);
  await tab2.waitForLoadState();
  // The AS remembers the login; it asks for consent to the new scope only.
  const login = tab2.locator('input[name="login"]');
  if (await login.isVisible().catch(() => false)) {
    await login.fill('alice');
    await tab2.locator('input[name="password"]').fill('correct horse');
    await tab2.locator('button[type="submit"]').click();
  }
  await tab2.getByRole('button', { name: /continue/i }).click();
  await expect(stepUp).toBeHidden();
  await admin.getByRole('button', { name: 'Run tool' }).click();
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  await detail.getByRole('tab', { name: 'Sign-in' }).click();
  await expect(detail.getByTestId('scopes-granted')).toContainText('mcp:admin');
});

test('without a keyring, the app warns and keeps the grant in memory only, unless the user opts in', async ({ rs, launch }) => {
  const app = await launch({ env: { SWITCHBOARD_E2E_INSECURE_STORAGE: '1' } });
  const { page, context } = app;
  const banner = page.getByRole('alert').filter({ hasText: 'No secure credential storage is available' });
  await expect(banner).toContainText('safeStorage:basic_text');
  const detail = await addAndSignIn(page, context, rs);
  await detail.getByRole('tab', { name: 'Sign-in' }).click();
  await expect(detail.getByRole('definition').filter({ hasText: 'in memory for this session only' })).toBeVisible();
  const vault = () => JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')).vault ?? {};
  expect(Object.keys(vault()).filter((k) => k.startsWith('auth:grant:'))).toEqual([]);

  await banner.getByLabel('Keep them on disk anyway (weakly protected)').check();
  await detail.getByRole('button', { name: 'Re-authorize' }).click();
  const consent = page.getByRole('dialog', { name: 'Sign in to Protected' });
  const [tab] = await Promise.all([context.waitForEvent('page'), consent.getByRole('button', { name: 'Continue in browser' }).click()]);
  await tab.waitForLoadState();
  const login = tab.locator('input[name="login"]');
  if (await login.isVisible().catch(() => false)) await signInAtAuthorizationServer(tab);
  else {
    await tab
      .getByRole('button', { name: /continue/i })
      .click()
      .catch(() => undefined);
  }
  await expect(consent).toBeHidden();
  await expect(detail.getByRole('definition').filter({ hasText: 'encrypted on this computer' })).toBeVisible();
  expect(Object.keys(vault()).filter((k) => k.startsWith('auth:grant:'))).toHaveLength(1);
});

test('cancel on the consent screen leaves everything as it was', async ({ as, rs, app }) => {
  const { page, context } = app;
  await addRemoteServer(page, 'Protected', rs.url);
  const detail = page.getByRole('region', { name: 'Server Protected' });
  await detail.getByRole('button', { name: 'Connect' }).click();
  await detail.getByRole('button', { name: 'Sign in' }).click();
  const consent = page.getByRole('dialog', { name: 'Sign in to Protected' });
  await expect(consent.getByTestId('consent-issuer')).toBeVisible();
  await consent.getByRole('button', { name: 'Cancel' }).click();
  await expect(consent).toBeHidden();
  expect(context.pages()).toHaveLength(1);
  await expect(detail.getByRole('status', { name: 'Status: Sign-in needed' })).toBeVisible();
  expect(as.requests.some((r) => r.path.startsWith('/auth') || r.path.startsWith('/token'))).toBe(false);
});

test("the consent screen names a token endpoint that is not on the authorization server's origin", async ({ track, app }) => {
  // The code (and a client secret, if any) goes to the token endpoint: the user sees where.
  const tokens = track(await startScriptedServer());
  const server = track(
    await startScriptedServer({
      'POST /mcp': (r) => ({
        status: 401,
        headers: { 'WWW-Authenticate': `Bearer resource_metadata="${r.origin}/.well-known/oauth-protected-resource/mcp"` },
        json: { error: 'unauthorized' },
      }),
      'GET /.well-known/oauth-protected-resource/mcp': (r) => ({ json: { resource: `${r.origin}/mcp`, authorization_servers: [r.origin] } }),
      'GET /.well-known/oauth-authorization-server': (r) => ({ json: asMetadata(r.origin, { token_endpoint: `${tokens.origin}/token` }) }),
    }),
  );
  const { page } = app;
  await addRemoteServer(page, 'Split', `${server.origin}/mcp`);
  const detail = page.getByRole('region', { name: 'Server Split' });
  await detail.getByRole('button', { name: 'Connect' }).click();
  await detail.getByRole('button', { name: 'Sign in' }).click();
  const consent = page.getByRole('dialog', { name: 'Sign in to Split' });
  await expect(consent.getByTestId('consent-issuer')).toHaveText(server.origin);
  await expect(consent.getByTestId('consent-token-endpoint')).toHaveText(tokens.origin);
  await expect(consent).toContainText("not the authorization server's origin");
  await consent.getByRole('button', { name: 'Cancel' }).click();
  await expect(consent).toBeHidden();
  expect(tokens.requests).toHaveLength(0);
});
