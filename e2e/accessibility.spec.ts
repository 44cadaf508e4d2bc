import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { scanBothThemes, summarize, type Finding } from './a11y';
import { expect, test } from './fixtures';
import { addStdioServer, approveLaunch, connectServer, EVERYTHING_SERVER, openTool, region } from './helpers';

// axe-core over every view and dialog, in light and dark: 0 serious or
// critical violations. The counts are also written to
// test-results/axe-summary.json for the close note.

test.setTimeout(600_000);

async function openDialog(page: Page, button: string, dialog: string | RegExp): Promise<Locator> {
  await page.getByRole('button', { name: button }).first().click();
  const opened = page.getByRole('dialog', { name: dialog });
  await expect(opened).toBeVisible();
  return opened;
}

async function closeDialog(page: Page, dialog: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

test('every view and dialog has no serious or critical axe violation, in light and dark', async ({ app, tempDir }) => {
  const { page } = app;
  const findings: Finding[] = [];
  const scan = async (screen: string) => findings.push(...(await scanBothThemes(page, screen)));

  await expect(page.getByRole('button', { name: 'Add your first server' })).toBeVisible();
  await scan('welcome');

  const add = await openDialog(page, 'Add server', 'Add server');
  await scan('add server: local');
  await add.getByLabel('Remote (HTTP)').check();
  await scan('add server: remote');
  await closeDialog(page, add);

  const registry = await openDialog(page, 'Browse registry…', /registry/i);
  await scan('registry');
  await closeDialog(page, registry);

  const importing = await openDialog(page, 'Import from…', /Import/);
  await scan('import');
  await closeDialog(page, importing);

  // A local server that asks for approval.
  await addStdioServer(page, { name: 'Pending', command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'], cwd: tempDir('cwd') });
  const pending = region(page, 'Pending');
  // Add connects: the launch approval is its review step.
  await expect(page.getByRole('dialog', { name: 'Allow Pending to run?' })).toBeVisible();
  await scan('launch approval');
  await approveLaunch(page, 'Pending');
  await expect(pending.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });

  for (const tab of ['Overview', /^Tools/, 'Resources', 'Prompts', 'Tasks', 'Roots', 'Traffic', 'Logs']) {
    await pending.getByRole('tab', { name: tab, exact: typeof tab === 'string' }).click();
    await scan(`server tab ${String(tab)}`);
  }
  await pending.getByRole('radio', { name: 'Server notifications' }).check();
  await scan('server tab Logs: server notifications');
  const echo = await openTool(pending, 'echo');
  await echo.getByLabel('message').fill('hello');
  await echo.getByRole('button', { name: 'Run tool' }).click();
  await expect(echo.getByRole('region', { name: 'Result' })).toContainText('hello');
  await scan('tool result');

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette.getByRole('option').first()).toBeVisible();
  await scan('command palette');
  await closeDialog(page, palette);
  await page.getByRole('button', { name: /^Shortcuts/ }).click();
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await scan('keyboard shortcuts');
  await closeDialog(page, sheet);

  await pending.getByRole('tab', { name: 'Resources' }).click();
  await pending.getByRole('listbox', { name: 'Resources' }).getByRole('option').first().click();
  await expect(pending.getByRole('region', { name: 'Resource contents' })).toBeVisible();
  await scan('resource contents');
  await pending.getByRole('tab', { name: 'Prompts' }).click();
  await pending.getByRole('listbox', { name: 'Prompts' }).getByRole('option').first().click();
  await scan('prompt selected');

  const exporting = await openDialog(page, 'Export to…', /Export/);
  await scan('export');
  await closeDialog(page, exporting);

  await pending.getByRole('button', { name: 'Remove' }).click();
  await scan('remove confirmation');
  await pending.getByRole('button', { name: /^(Keep|Cancel)$/ }).click();

  await page.getByRole('button', { name: 'History of all calls' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toBeVisible();
  await history.getByRole('button', { name: /echo/ }).first().click();
  await scan('history with a record open');
  await page.getByRole('button', { name: 'Back to servers' }).click();

  await page.getByRole('button', { name: 'Gateway for other apps' }).click();
  await scan('gateway off');
  await page.getByLabel('Gateway on').check();
  await expect(page.getByTestId('gateway-address')).toBeVisible();
  await scan('gateway on');
  await page.getByRole('button', { name: 'Back to servers' }).click();

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Desktop' })).toBeVisible();
  await scan('settings');
  await page.getByRole('button', { name: 'Back to servers' }).click();

  // A remote server that cannot be reached: its error and Sign-in tab.
  await addStdioServer(page, { name: 'Broken', command: process.execPath, args: ['-e', 'process.exit(3)'] });
  const broken = region(page, 'Broken');
  await approveLaunch(page, 'Broken');
  await expect(broken.getByText(/exited|code 3/i).first()).toBeVisible({ timeout: 30_000 });
  await scan('server error');

  // Remove, with its undo toast.
  await broken.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove server' }).click();
  const toast = page.getByRole('status', { name: 'Server removal' });
  await expect(toast).toBeVisible();
  await scan('undo remove toast');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(toast).toBeHidden();

  const summary = { light: findings.filter((f) => f.theme === 'light'), dark: findings.filter((f) => f.theme === 'dark') };
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'axe-summary.json'), JSON.stringify({ light: summary.light.length, dark: summary.dark.length, findings }, null, 2));
  expect(findings, summarize(findings)).toEqual([]);
});

test('keyboard-free checks axe cannot make: no alert for Starting, no status inside buttons', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Everything', [EVERYTHING_SERVER, 'stdio']);
  await expect(detail).toBeVisible();
  expect(await page.locator('button [role="status"], button[role="status"]').count()).toBe(0);
});
