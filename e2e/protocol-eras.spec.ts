import type { Page } from '@playwright/test';
import { erasStdioArgs, startErasHttp } from '../test/fixtures/servers/eras';
import { expect, test } from './fixtures';
import { addRemoteServer as addRemote, approveLaunch, connectServer, openTool, region } from './helpers';

// Both protocol eras side by side through the GUI: a stateless 2026-07-28 server
// over HTTP and a 2025-era stdio server. The Overview says which revision each
// speaks and why; a multi-round-trip elicitation (input_required) is answered in
// the dialog, round after round, and History keeps it as one call.

/** Adds a remote server, checking the Protocol control's default and its help text on the way. */
async function addRemoteServer(page: Page, name: string, url: string) {
  await addRemote(page, name, url, async (dialog) => {
    await expect(dialog.getByRole('combobox', { name: 'Protocol' })).toHaveValue('auto');
    await expect(dialog.getByText(/falls back to the 2025 initialize handshake/)).toBeVisible();
  });
}

test('a modern and a legacy server side by side: revisions, tool calls, a multi-round-trip elicitation, one History record', async ({ app, track }) => {
  const { page } = app;
  const modernServer = track(await startErasHttp('modern'));

  await test.step('connect both', async () => {
    await addRemoteServer(page, 'Modern', modernServer.url);
    const modern = region(page, 'Modern');
    await modern.getByRole('button', { name: 'Connect' }).click();
    await expect(modern.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
    await expect(modern).toContainText('2026-07-28 (modern): the server answered server/discover');
    await page.screenshot({ path: 'test-results/protocol-eras-overview.png' });

    const legacy = await connectServer(page, 'Legacy', erasStdioArgs('legacy'));
    await expect(legacy).toContainText('2025-11-25 (legacy): the server does not support server/discover; fell back to initialize');
  });

  await test.step('call echo on each', async () => {
    for (const name of ['Modern', 'Legacy']) {
      await page.getByRole('navigation', { name: 'Servers' }).getByText(name, { exact: true }).click();
      const tool = await openTool(region(page, name), 'echo');
      await tool.getByLabel('message').fill(`hello ${name}`);
      await tool.getByRole('button', { name: 'Run tool' }).click();
      await expect(tool.getByRole('region', { name: 'Result' })).toContainText(`Echo: hello ${name}`);
    }
  });

  await test.step('answer a two-round elicitation', async () => {
    await page.getByRole('navigation', { name: 'Servers' }).getByText('Modern', { exact: true }).click();
    const tool = await openTool(region(page, 'Modern'), 'confirm');
    await tool.getByLabel('action').fill('wipe');
    await tool.getByRole('button', { name: 'Run tool' }).click();
    const dialog = page.getByRole('dialog', { name: 'Modern asks for information' });
    await expect(dialog).toContainText('Really wipe?');
    await dialog.getByRole('checkbox', { name: /Confirm/ }).check();
    await dialog.getByRole('button', { name: 'Accept and send' }).click();
    await expect(dialog).toContainText('Scope for wipe?');
    await dialog.getByRole('textbox', { name: /Scope/ }).fill('everything');
    await dialog.getByRole('button', { name: 'Accept and send' }).click();
    await expect(dialog).toBeHidden();
    const result = tool.getByRole('region', { name: 'Result' });
    await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
    await expect(result).toContainText('Done: wipe (everything)');
  });

  await test.step('the traffic shows every round with its response', async () => {
    const detail = region(page, 'Modern');
    await detail.getByRole('tab', { name: 'Traffic' }).click();
    const traffic = detail.getByRole('list', { name: 'Traffic' });
    await expect(traffic.getByRole('listitem', { name: /^→ tools\/call #\d+ · retry with input$/ })).toHaveCount(2);
    await expect(traffic.getByRole('listitem', { name: /^← tools\/call #\d+ · input required$/ })).toHaveCount(2);
  });

  await test.step('History has the exchange as one call', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('region', { name: 'History' });
    await expect(history.getByRole('status', { name: 'Matching records' })).toHaveText('3 records');
    await expect(history.getByRole('list', { name: 'History records' }).getByRole('button', { name: /^confirm on Modern, ok/ })).toHaveCount(1);
  });
  await page.screenshot({ path: 'test-results/protocol-eras.png' });
});

test('Modern only against a legacy server says what to change', async ({ app }) => {
  const { page } = app;
  await page
    .getByRole('button', { name: /^Add (server|your first server)$/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name').fill('Old');
  await dialog.getByLabel('Command').fill(process.execPath);
  await dialog.getByLabel('Arguments').fill(erasStdioArgs('legacy').join('\n'));
  await dialog.getByRole('combobox', { name: 'Protocol' }).selectOption('modern');
  await expect(dialog.getByText('Speaks MCP 2026-07-28 only; connecting to a 2025-era server fails.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const detail = region(page, 'Old');
  await approveLaunch(page, 'Old');
  await expect(detail.getByRole('status', { name: 'Status: Error' })).toBeVisible({ timeout: 30_000 });
  await expect(detail.getByText(/does not offer MCP 2026-07-28.*set Protocol to Automatic/).first()).toBeVisible();
});
