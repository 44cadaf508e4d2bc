import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { approveLaunch, connectServer, FIXTURE_SERVER, openTool, region } from './helpers';

// The window is used whole: panes fill its height and scroll on their own, the
// Run bar stays in view under a long form, each server keeps its form and
// result, and Remove can be undone.

test('the tool detail keeps its Run bar in view under a long form, at 1280×800', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1280, height: 800 });
  const detail = await connectServer(page, 'Long', [FIXTURE_SERVER, 'long-form']);
  const tool = await openTool(detail, 'configure');
  const run = tool.getByRole('button', { name: 'Run tool' });
  // The form is taller than the window: its last field is out of view, the Run bar is not.
  await expect(tool.getByLabel('option24')).not.toBeInViewport();
  await expect(run).toBeInViewport();
  // The tool detail is its own scroll area, filling the window down to its bottom edge.
  const pane = page.locator('.split-detail');
  const box = (await pane.boundingBox())!;
  expect(box.y + box.height).toBeGreaterThan(800 - 40);
  await tool.getByLabel('option24').fill('last');
  await expect(tool.getByLabel('option24')).toBeInViewport();
  await expect(run).toBeInViewport();
  await run.click();
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Configured 1 settings');
  // The window itself does not scroll: the panes do.
  expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight)).toBe(true);
});

test('each server keeps its tool form and result across server switches and History', async ({ app }) => {
  const { page } = app;
  const first = await connectServer(page, 'First', [FIXTURE_SERVER]);
  let tool = await openTool(first, 'echo');
  await tool.getByLabel('message').fill('kept across switches');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Echo: kept across switches');

  const second = await connectServer(page, 'Second', [FIXTURE_SERVER]);
  const other = await openTool(second, 'echo');
  // Another server's same tool has its own, empty form.
  await expect(other.getByLabel('message')).toHaveValue('');
  await expect(other.getByRole('region', { name: 'Result' })).toHaveCount(0);

  const servers = page.getByRole('navigation', { name: 'Servers' });
  await servers.getByRole('option', { name: /^First / }).click();
  tool = first.getByRole('region', { name: 'Tool echo' });
  await expect(first.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
  await expect(tool.getByLabel('message')).toHaveValue('kept across switches');
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Echo: kept across switches');

  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('button', { name: 'History of all calls' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
  await views.getByRole('button', { name: 'Back to servers' }).click();
  await expect(first.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
  await expect(tool.getByLabel('message')).toHaveValue('kept across switches');
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Echo: kept across switches');
});

test('removing a server can be undone, and its stored secret comes back with it', async ({ app }) => {
  const { page } = app;
  const stored = () =>
    JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as { servers?: { name: string }[]; vault?: Record<string, unknown> };
  // A server with a secret the user typed (it goes to the vault).
  await page.getByRole('button', { name: 'Add your first server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name').fill('Keeper');
  await dialog.getByLabel('Command').fill(process.execPath);
  await dialog.getByLabel('Arguments').fill(FIXTURE_SERVER);
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByLabel('variable 1 name').fill('SERVICE_KEY');
  await dialog.getByLabel('variable 1 value').fill('e2e-undo-secret');
  await dialog.getByRole('checkbox', { name: 'Secret' }).check();
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await approveLaunch(page, 'Keeper');
  const detail = region(page, 'Keeper');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  const secrets = Object.keys(stored().vault ?? {}).length;
  expect(secrets).toBeGreaterThan(0);

  const servers = page.getByRole('navigation', { name: 'Servers' });
  await detail.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove server' }).click();
  await expect(servers.getByRole('option', { name: /^Keeper / })).toHaveCount(0);
  const toast = page.getByRole('status', { name: 'Server removal' });
  await expect(toast).toContainText('Removed Keeper.');
  // Keyboard-reachable: Tab reaches Undo like any other button.
  await toast.getByRole('button', { name: 'Undo' }).focus();
  await page.keyboard.press('Enter');
  await expect(toast).toBeHidden();
  await expect(servers.getByRole('option', { name: /^Keeper / })).toBeVisible();
  // It was running: it runs again (no new approval), with its secret.
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  // Past the undo window, the server and its secret are still there.
  await page.waitForTimeout(9_000);
  await expect(servers.getByRole('option', { name: /^Keeper / })).toBeVisible();
  expect(stored().servers?.map((x) => x.name)).toEqual(['Keeper']);
  expect(Object.keys(stored().vault ?? {}).length).toBe(secrets);
  await detail.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Keeper' });
  await expect(edit.getByLabel('variable 1 value')).toHaveAttribute('placeholder', 'stored securely (type to replace)');
  await page.keyboard.press('Escape');
  await expect(edit).toBeHidden();

  // Without Undo, it is gone for good once the toast is: the server and its secret.
  await detail.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove server' }).click();
  await expect(toast).toContainText('Removed Keeper.');
  expect(stored().servers?.map((x) => x.name)).toEqual(['Keeper']);
  await expect(toast).toBeHidden({ timeout: 15_000 });
  await expect.poll(() => stored().servers?.length ?? 0).toBe(0);
  expect(Object.keys(stored().vault ?? {}).length).toBe(0);
  await expect(page.getByRole('button', { name: 'Add your first server' })).toBeVisible();
});
