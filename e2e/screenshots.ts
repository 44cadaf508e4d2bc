// Takes the README screenshots through the same harness the e2e suite uses.
// Run after a build: npx tsx e2e/screenshots.ts
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { startAuthorizationServer } from '../test/auth/fixtures/authorization-server';
import { startProtectedMcpServer } from '../test/auth/fixtures/protected-mcp-server';
import { launchApp } from './harness';
import { addStdioServer, approveLaunch, EVERYTHING_SERVER, ROOT } from './helpers';

const out = (name: string) => join(ROOT, 'resources/screenshots', name);
const as = await startAuthorizationServer();
const rs = await startProtectedMcpServer({ issuer: as.issuer });
const app = await launchApp();
try {
  const { page } = app;
  await addStdioServer(page, { name: 'Everything', command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'] });
  const detail = page.getByRole('region', { name: 'Server Everything' });
  await detail.getByRole('button', { name: 'Connect' }).click();
  await page.screenshot({ path: out('approval.png') });
  await approveLaunch(page, 'Everything');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  await detail.getByRole('tab', { name: /Tools/ }).click();
  await page.screenshot({ path: out('server-detail.png') });

  await page.getByRole('button', { name: 'Add server' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Remote (HTTP)').check();
  await dialog.getByLabel('Name').fill('Team tools');
  await dialog.getByLabel('Server URL').fill(rs.url);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const remote = page.getByRole('region', { name: 'Server Team tools' });
  await remote.getByRole('button', { name: 'Connect' }).click();
  await remote.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('consent-issuer')).toBeVisible();
  await page.screenshot({ path: out('consent.png') });
} finally {
  await app.close();
  await rs.close();
  await as.close();
}
