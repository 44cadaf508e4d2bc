import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../test/auth/fixtures/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../test/auth/fixtures/protected-mcp-server';
import { launchApp, type LaunchedApp } from './harness';

// The heart of the product, through the GUI: add a remote server, read the
// consent screen, sign in on the authorization server's own pages in the page
// that opens, see the grant, use it, revoke it.

let as: AuthorizationServerFixture;
let rs: ProtectedMcpServerFixture;
let app: LaunchedApp | undefined;

test.beforeEach(async () => {
  as = await startAuthorizationServer({ approval: 'interactive', accessTokenTtl: 600 });
  rs = await startProtectedMcpServer({ issuer: as.issuer, scopesSupported: ['mcp:read', 'mcp:write'] });
});

test.afterEach(async () => {
  await app?.close();
  app = undefined;
  await rs?.close();
  await as?.close();
});

async function addRemoteServer(page: Page, name: string, url: string) {
  await page.getByRole('button', { name: /^Add (server|your first server)$/ }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Remote (HTTP)').check();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Server URL').fill(url);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toBeHidden();
}

/** Plays the user on oidc-provider's login and consent pages, in the tab the app opened. */
async function signInAtAuthorizationServer(tab: Page) {
  await tab.waitForLoadState();
  await tab.locator('input[name="login"]').fill('alice');
  await tab.locator('input[name="password"]').fill('correct horse');
  await tab.locator('button[type="submit"]').click();
  await tab.getByRole('button', { name: /continue/i }).click();
  await expect(tab.locator('body')).toContainText('Switchboard');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('sign in to a protected remote server, see the grant, revoke it', async () => {
  app = await launchApp();
  const { page, context } = app;
  await addRemoteServer(page, 'Protected', rs.url);
  const detail = page.getByRole('region', { name: 'Server Protected' });
  await detail.getByRole('button', { name: 'Connect' }).click();
  await expect(detail.getByRole('status', { name: 'Status: Sign-in needed' })).toBeVisible();

  await detail.getByRole('button', { name: 'Sign in' }).click();
  const consent = page.getByRole('dialog', { name: 'Sign in to Protected' });
  await expect(consent.getByTestId('consent-issuer')).toHaveText(as.issuer);
  await expect(consent).toContainText('third party');
  await expect(consent).toContainText('Dynamic client registration');
  await expect(consent.getByRole('list', { name: 'Requested scopes' })).toContainText('mcp:read');
  await expect(consent.getByRole('list', { name: 'Requested scopes' })).toContainText('mcp:write');
  await expect(consent).toContainText(rs.resource);
  expect(context.pages()).toHaveLength(1); // nothing opened before the user continues

  const [tab] = await Promise.all([context.waitForEvent('page'), consent.getByRole('button', { name: 'Continue in browser' }).click()]);
  await signInAtAuthorizationServer(tab);
  await expect(consent).toBeHidden();
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();

  await detail.getByRole('tab', { name: 'Sign-in' }).click();
  await expect(detail.getByTestId('scopes-granted')).toContainText('mcp:read');
  await expect(detail.getByTestId('token-expiry')).toContainText(/expires in \d+ min/);
  // Under _electron, Playwright forces Chromium's basic password store, so the app keeps tokens in memory instead.
  await expect(detail.getByRole('definition').filter({ hasText: app.mode === 'electron' ? /encrypted on this computer|in memory for this session only/ : 'encrypted on this computer' })).toBeVisible();
  await detail.getByRole('tab', { name: /Tools/ }).click();
  await expect(detail.getByRole('listitem', { name: 'echo', exact: true })).toBeVisible();

  // No token in plaintext anywhere under the data dir.
  const accessToken = rs.authorizationHeaders.filter(Boolean).at(-1)!.replace(/^Bearer /, '');
  expect(accessToken.length).toBeGreaterThan(20);
  for (const file of filesUnder(app.dataDir)) expect(readFileSync(file, 'utf8'), file).not.toContain(accessToken);

  await detail.getByRole('tab', { name: 'Sign-in' }).click();
  await detail.getByRole('button', { name: 'Revoke' }).click();
  await detail.getByRole('button', { name: 'Revoke grant' }).click();
  await expect(detail.getByRole('status').filter({ hasText: `Revoked at ${as.issuer}` })).toBeVisible();
  await expect(detail.getByText('Not signed in.')).toBeVisible();
  await expect(detail.getByRole('status', { name: 'Status: Sign-in needed' })).toBeVisible();
  expect(as.requests.some((r) => r.method === 'POST' && r.path.includes('revocation'))).toBe(true);
});

test('cancel on the consent screen leaves everything as it was', async () => {
  app = await launchApp();
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
