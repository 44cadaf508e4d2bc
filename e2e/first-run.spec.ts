import type { Locator } from '@playwright/test';
import { scanBothThemes, summarize } from './a11y';
import { expect, test } from './fixtures';
import { FIXTURE_SERVER, region } from './helpers';

// The first minutes: paste a command (or a config), review it, land on Tools
// connected, run a tool. Every click is counted; the audit found 8.

/** What a user's Ctrl+V delivers: a real paste event carrying the text. */
async function paste(field: Locator, text: string): Promise<void> {
  await field.evaluate((el, value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

const addButton = (page: import('@playwright/test').Page) => page.getByRole('button', { name: /^Add (server|your first server)$/ }).first();

test('paste a one-line command, review it, land on Tools connected and run a tool: 5 button clicks', async ({ app }) => {
  const { page } = app;
  let clicks = 0;
  let fieldClicks = 0;
  const click = async (target: Locator) => {
    clicks++;
    await target.click();
  };
  /** A click that only puts the caret in a text field. */
  const focusField = async (target: Locator) => {
    fieldClicks++;
    await target.click();
  };

  await click(addButton(page));
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  const command = dialog.getByLabel('Command');
  // The dialog opens with the caret in Command.
  await expect(command).toBeFocused();
  await paste(command, `"${process.execPath}" '${FIXTURE_SERVER}' ok`);

  // Split for the user, before anything is saved: program, arguments, a suggested name.
  await expect(dialog.getByRole('status')).toHaveText('Split into the program ' + process.execPath + ' and 2 arguments: check them below.');
  await expect(command).toHaveValue(process.execPath);
  await expect(dialog.getByLabel('Arguments')).toHaveValue(`${FIXTURE_SERVER}\nok`);
  await expect(dialog.getByLabel('Name')).toHaveValue('fixture-server');
  await click(dialog.getByRole('button', { name: 'Add server' }));

  // The approval is the review step of the same flow: no Connect click in between.
  const approval = page.getByRole('dialog', { name: 'Allow fixture-server to run?' });
  await expect(approval).toContainText('Last step of adding fixture-server');
  await expect(approval.getByTestId('spec-args')).toContainText(FIXTURE_SERVER);
  // The real folder it runs in, not "default".
  await expect(approval.getByTestId('spec-cwd')).not.toBeEmpty();
  await click(approval.getByRole('button', { name: 'Allow and start' }));

  const detail = region(page, 'fixture-server');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');

  await click(detail.getByRole('option', { name: 'echo', exact: true }));
  const tool = detail.getByRole('region', { name: 'Tool echo' });
  await focusField(tool.getByLabel('message'));
  await tool.getByLabel('message').fill('first run');
  await click(tool.getByRole('button', { name: 'Run tool' }));
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Echo: first run');

  // Add, Add server, Allow and start, echo, Run tool. Before: Add, Add server, Connect, Allow and start, Tools, echo, Run tool
  // (and a server sitting "Stopped" in between). One field click: into the message field.
  expect(clicks).toBe(5);
  expect(fieldClicks).toBe(1);
  test.info().annotations.push({ type: 'clicks from paste to a tool result', description: `${clicks} buttons + ${fieldClicks} text fields` });
  console.log(`clicks from paste to a tool result: ${clicks} buttons + ${fieldClicks} text fields`);
  await page.screenshot({ path: 'test-results/first-run-tools.png' });
});

test('a pasted JSON config opens the import preview, and one server goes on to review and Tools', async ({ app }) => {
  const { page } = app;
  await addButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  const config = {
    mcpServers: { 'pasted-fixture': { command: process.execPath, args: [FIXTURE_SERVER, 'ok'], env: { API_TOKEN: 'sk-pasted-0123456789abcdef' } } },
  };
  await paste(dialog.getByLabel('Command'), JSON.stringify(config, null, 2));

  const preview = page.getByRole('dialog', { name: 'Import a pasted config' });
  const section = preview.getByRole('region', { name: 'Pasted config' });
  await expect(section).toContainText('Claude Desktop / Cursor "mcpServers"');
  await expect(section).toContainText(`Local command: ${process.execPath} ${FIXTURE_SERVER} ok`);
  await expect(section.getByRole('checkbox', { name: 'Import pasted-fixture' })).toBeChecked();
  // The secret-looking value stayed in the core.
  await expect(preview).not.toContainText('sk-pasted-0123456789abcdef');
  await expect(section.getByRole('checkbox', { name: 'Keep variable API_TOKEN of pasted-fixture in the vault' })).toBeChecked();
  await preview.getByRole('button', { name: 'Import 1 server' }).click();

  const approval = page.getByRole('dialog', { name: 'Allow pasted-fixture to run?' });
  await expect(approval.getByTestId('spec-env-API_TOKEN')).toContainText('secret (stored in the vault)');
  await approval.getByRole('button', { name: 'Allow and start' }).click();
  const detail = region(page, 'pasted-fixture');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
});

test('starting is a neutral progress row with a timer and Cancel, not an alert', async ({ app }) => {
  const { page } = app;
  await addButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await paste(dialog.getByLabel('Command'), `${process.execPath} ${FIXTURE_SERVER} hang`);
  await dialog.getByLabel('Name').fill('Slow');
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await page.getByRole('dialog', { name: 'Allow Slow to run?' }).getByRole('button', { name: 'Allow and start' }).click();

  const detail = region(page, 'Slow');
  const row = detail.getByRole('status', { name: 'Starting, gives up at 30 s' });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/Starting… \d+ s \(gives up at 30 s\)/);
  await expect(detail.getByRole('alert')).toHaveCount(0);
  // No live region hides inside a button (the server list's state is part of the button's name).
  await expect(page.locator('button [role="status"], button[role="status"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/first-run-starting.png' });
  const startingFindings = await scanBothThemes(page, 'starting row');
  expect(startingFindings, summarize(startingFindings)).toEqual([]);
  await detail.getByRole('button', { name: 'Cancel' }).click();
  await expect(detail.getByRole('status', { name: 'Status: Stopped' })).toBeVisible();
});

test('a server that logs to stdout fails at once with a card of next steps', async ({ app }) => {
  const { page } = app;
  await addButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await paste(dialog.getByLabel('Command'), `${process.execPath} ${FIXTURE_SERVER} stdout-at-start`);
  await dialog.getByLabel('Name').fill('Noisy');
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await page.getByRole('dialog', { name: 'Allow Noisy to run?' }).getByRole('button', { name: 'Allow and start' }).click();

  const detail = region(page, 'Noisy');
  const card = detail.getByRole('region', { name: 'What went wrong' });
  await expect(card.getByRole('alert')).toContainText('servers must log to stderr', { timeout: 5000 });
  await expect(card.getByRole('alert')).toContainText('my-server v1.0 listening on stdio');
  await expect(card).toContainText('console.error');
  await expect(card.getByRole('button', { name: 'Copy command' })).toBeVisible();
  const cardFindings = await scanBothThemes(page, 'failure card');
  expect(cardFindings, summarize(cardFindings)).toEqual([]);
  await card.getByRole('button', { name: 'Open log' }).click();
  await expect(detail.getByRole('tab', { name: 'Logs', exact: true })).toHaveAttribute('aria-selected', 'true');
  await card.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit Noisy' })).toBeVisible();
});

test('newcomer input: relative paths are explained, a bare remote address gets its scheme', async ({ app }) => {
  const { page } = app;
  await addButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Command').fill('./dist/index.js');
  await expect(dialog.getByRole('note', { name: 'Relative path warning' })).toContainText('is a relative path');
  await dialog.getByLabel('Command').fill('node');
  await dialog.getByLabel('Arguments').fill('dist/index.js');
  await expect(dialog.getByRole('note', { name: 'Relative argument warning' })).toContainText('your home folder');
  await dialog.getByLabel('Command').fill('npx -y @modelcontextprotocol/server-memory');
  await expect(dialog.getByRole('note', { name: 'How this line runs' })).toBeVisible();
  const helpFindings = await scanBothThemes(page, 'add server: input help');
  expect(helpFindings, summarize(helpFindings)).toEqual([]);

  await dialog.getByLabel('Remote (HTTP)').check();
  const url = dialog.getByLabel('Server URL');
  await url.fill('localhost:3000/mcp');
  await url.blur();
  await expect(url).toHaveValue('http://localhost:3000/mcp');
  await expect(dialog).toContainText('Added http:// for a server on this machine');
  await url.fill('example.com/mcp');
  await url.blur();
  await expect(url).toHaveValue('https://example.com/mcp');
});
