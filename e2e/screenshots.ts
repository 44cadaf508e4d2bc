// Takes the README screenshots through the same harness the e2e suite uses.
// Run: npm run screenshots
import { join } from 'node:path';
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { startAuthorizationServer } from '../test/fixtures/auth/authorization-server';
import { startProtectedMcpServer } from '../test/fixtures/auth/protected-mcp-server';
import { launchApp } from './harness';
import { connectServer, EVERYTHING_SERVER, openTool, ROOT } from './helpers';

const out = (name: string) => join(ROOT, 'resources/screenshots', name);
const as = await startAuthorizationServer();
const rs = await startProtectedMcpServer({ issuer: as.issuer });
const app = await launchApp();

async function signIn(page: Page, context: BrowserContext) {
  const remote = page.getByRole('region', { name: 'Server Team tools' });
  await remote.getByRole('button', { name: 'Connect' }).click();
  await remote.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('consent-issuer')).toBeVisible();
  await page.screenshot({ path: out('consent.png') });
  const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Continue in browser' }).click()]);
  await tab.locator('input[name="login"]').fill('alice');
  await tab.locator('input[name="password"]').fill('secret');
  await tab.locator('button[type="submit"]').click();
  await tab.getByRole('button', { name: /continue/i }).click();
  await tab.close();
  await expect(remote.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  await remote.getByRole('tab', { name: 'Sign-in' }).click();
  await page.screenshot({ path: out('grant.png') });
}

try {
  const { page, context } = app;
  const detail = await connectServer(page, 'Everything', [EVERYTHING_SERVER, 'stdio']);
  await detail.getByRole('tab', { name: /^Tools/ }).click();
  await page.screenshot({ path: out('server-detail.png') });
  const echo = await openTool(detail, 'echo');
  await echo.getByLabel('message').fill('Hello from Switchboard');
  await echo.getByRole('button', { name: 'Run tool' }).click();
  await expect(echo.getByRole('region', { name: 'Result' })).toContainText('Hello from Switchboard');
  await page.screenshot({ path: out('tool-call.png') });

  // The command palette: every action by name, tools as "server › tool".
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Command' }).fill('everything');
  await expect(page.getByRole('option', { name: /Everything › echo/ })).toBeVisible();
  await page.screenshot({ path: out('palette.png') });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Remote (HTTP)').check();
  await dialog.getByLabel('Name').fill('Team tools');
  await dialog.getByLabel('Server URL').fill(rs.url);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await signIn(page, context);

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
  await page.screenshot({ path: out('history.png') });

  // An MCP App after its tool was called, having called its app-only tool.
  const apps = await connectServer(page, 'Apps', [join(ROOT, 'test/fixtures/servers/apps-server.mjs')]);
  const dashboard = await openTool(apps, 'show-dashboard');
  await dashboard.getByLabel('name').fill('Ada');
  await dashboard.getByRole('button', { name: 'Run tool' }).click();
  const appFrame = dashboard.getByRole('region', { name: 'App ui://apps/dashboard' }).frameLocator('iframe');
  await appFrame.getByRole('button', { name: 'Refresh stats' }).click();
  await expect(appFrame.locator('#out')).toHaveText('stats: 42 calls today');
  await dashboard.getByRole('region', { name: 'App ui://apps/dashboard' }).locator('iframe').scrollIntoViewIfNeeded();
  await page.screenshot({ path: out('mcp-app.png') });
} finally {
  await app.close();
  await rs.close();
  await as.close();
}
