import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addStdioServer, FIXTURE_SERVER, region } from './helpers';

// The keyboard: the command palette, the shortcut sheet, dialog focus, the
// listbox and tab patterns, and one journey done with the keyboard alone.

/** Focus is on an element, never on <body> (checked after every step). */
async function expectFocusNotOnBody(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'none'), { timeout: 5_000 }).not.toMatch(/^(BODY|none)$/);
}

/** Add connects, so a launch approval follows; these tests dismiss it with Escape. */
async function dismissApproval(page: Page, name: string): Promise<void> {
  const approval = page.getByRole('dialog', { name: `Allow ${name} to run?` });
  await expect(approval).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(approval).toBeHidden();
}

const serverOption = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('option', { name: new RegExp(`^${name} `) });

test('Ctrl+K opens the palette, which filters by name and runs the chosen command', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const box = palette.getByRole('combobox', { name: 'Command' });
  await expect(box).toBeFocused();
  const options = palette.getByRole('listbox', { name: 'Commands' }).getByRole('option');
  await expect(options.filter({ hasText: 'Add server…' })).toBeVisible();
  await expect(options.filter({ hasText: 'Import servers from…' })).toBeVisible();
  await expect(options.filter({ hasText: 'Open history of all calls' })).toBeVisible();

  await page.keyboard.type('histry');
  await expect(options.first()).toContainText('Open history of all calls');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search history' })).toBeFocused();

  // Arrow keys move the active option; Escape closes and gives focus back.
  await page.getByRole('searchbox', { name: 'Search history' }).press('Control+k');
  await page.keyboard.type('add');
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(options.first()).toContainText('Add server…');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('searchbox', { name: 'Search history' })).toBeFocused();

  // The chosen command opens its dialog with the first field focused.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('add server');
  await page.keyboard.press('Enter');
  // A new local server starts with Command (a pasted command line fills the rest).
  await expect(page.getByRole('dialog', { name: 'Add server' }).getByLabel('Command')).toBeFocused();
  await page.screenshot({ path: 'test-results/keyboard-add-from-palette.png' });
});

test('? opens the shortcut sheet (not while typing), / focuses the list search', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  const addButton = page.getByRole('button', { name: 'Add your first server' });
  await addButton.focus();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('row', { name: /Ctrl\+K/ })).toContainText('command palette');
  await expect(sheet.getByRole('row', { name: /Ctrl\+N/ })).toContainText('Add a server');
  await expect(sheet.getByRole('row', { name: /Ctrl\+Enter/ })).toContainText('Run the tool form');
  await page.screenshot({ path: 'test-results/keyboard-shortcuts.png' });
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(addButton).toBeFocused();

  // Typing "?" into a field types it.
  await page.keyboard.press('Control+n');
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog.getByLabel('Command')).toBeFocused();
  await page.keyboard.type('what?');
  await expect(dialog.getByLabel('Command')).toHaveValue('what?');
  await expect(sheet).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(addButton).toBeFocused();

  await page.getByRole('button', { name: 'History of all calls' }).click();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search history' })).toBeFocused();
});

test('dialogs focus their first field, restore focus, and focus the first bad field on a failed submit', async ({ app }) => {
  const { page } = app;
  const add = page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Add server' });
  await add.click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog.getByLabel('Command')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();

  // A failed submit focuses the bad field.
  await add.press('Enter');
  await expect(dialog.getByLabel('Command')).toBeFocused();
  await page.keyboard.type('no-such-command-switchboard');
  await dialog.getByLabel('Name').fill('Ghost');
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog.getByLabel('Command')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Command')).toBeFocused();

  // After Add, focus is on the new server in the list.
  await dialog.getByLabel('Command').fill(process.execPath);
  await dialog.getByLabel('Arguments').fill(FIXTURE_SERVER);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toBeHidden();
  // Add connects: the launch approval takes focus; dismissed, focus is on the new server in the list.
  await dismissApproval(page, 'Ghost');
  await expect(serverOption(page, 'Ghost')).toBeFocused();
  await expectFocusNotOnBody(page);
});

test('lists and tabs: one Tab stop, arrows and J/K, Home/End; Remove confirmation takes focus and Escape keeps', async ({ app }) => {
  const { page } = app;
  for (const name of ['One', 'Two', 'Three']) {
    await addStdioServer(page, { name, command: process.execPath, args: [FIXTURE_SERVER] });
    await dismissApproval(page, name);
    await expect(serverOption(page, name)).toBeFocused();
  }
  // The list: Up/K, Home, J, End select as they move.
  await page.keyboard.press('ArrowUp');
  await expect(serverOption(page, 'Two')).toBeFocused();
  await expect(serverOption(page, 'Two')).toHaveAttribute('aria-selected', 'true');
  await expect(region(page, 'Two')).toBeVisible();
  await page.keyboard.press('Home');
  await expect(serverOption(page, 'One')).toBeFocused();
  await page.keyboard.press('j');
  await expect(serverOption(page, 'Two')).toBeFocused();
  await page.keyboard.press('k');
  await expect(serverOption(page, 'One')).toBeFocused();
  await page.keyboard.press('End');
  await expect(serverOption(page, 'Three')).toBeFocused();
  // One Tab stop: Tab leaves the list.
  await expect(page.getByRole('navigation', { name: 'Servers' }).locator('[role="option"][tabindex="0"]')).toHaveCount(1);

  // Enter goes to the server's tabs; Right/Left/End/Home move and select.
  await page.keyboard.press('Enter');
  const detail = region(page, 'Three');
  await expect(detail.getByRole('tab', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toBeFocused();
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(detail.getByRole('tab', { name: 'Logs', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(detail.getByRole('tab', { name: 'Overview' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(detail.getByRole('tab', { name: 'Logs', exact: true })).toHaveAttribute('aria-selected', 'true');
  // The tab is kept when the server is left and chosen again.
  await serverOption(page, 'One').click();
  await serverOption(page, 'Three').click();
  await expect(region(page, 'Three').getByRole('tab', { name: 'Logs', exact: true })).toHaveAttribute('aria-selected', 'true');

  // Remove: the confirmation takes focus, Escape keeps the server and focus returns to Remove.
  const remove = detail.getByRole('button', { name: 'Remove', exact: true });
  await remove.focus();
  await page.keyboard.press('Enter');
  const confirm = detail.getByRole('alertdialog', { name: 'Confirm removal' });
  await expect(confirm.getByRole('button', { name: 'Keep' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(remove).toBeFocused();

  // Removing Two (in the middle) focuses the next server, Three.
  await serverOption(page, 'Two').click();
  await region(page, 'Two').getByRole('button', { name: 'Remove', exact: true }).click();
  await page.keyboard.press('Tab');
  await expect(region(page, 'Two').getByRole('button', { name: 'Remove server' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(serverOption(page, 'Two')).toHaveCount(0);
  await expect(serverOption(page, 'Three')).toBeFocused();
  await expect(serverOption(page, 'Three')).toHaveAttribute('aria-selected', 'true');
  await expectFocusNotOnBody(page);
});

test('keyboard only: add a server, approve it, call a tool, find the call in History, in under 30 key presses', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  const count = { presses: 0, strings: 0, characters: 0 };
  const press = async (key: string) => {
    count.presses++;
    await page.keyboard.press(key);
  };
  const type = async (text: string) => {
    count.strings++;
    count.characters += text.length;
    await page.keyboard.type(text);
  };

  await test.step('add', async () => {
    await press('Control+n');
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    await expect(dialog.getByLabel('Command')).toBeFocused();
    await type(process.execPath);
    await press('Tab');
    await expect(dialog.getByLabel('Name')).toBeFocused();
    await type('Keys');
    await press('Tab');
    await expect(dialog.getByLabel('Arguments')).toBeFocused();
    await type(FIXTURE_SERVER);
    await press('Control+Enter');
    await expect(dialog).toBeHidden();
    await expectFocusNotOnBody(page);
  });

  await test.step('approve: the review step of the same flow', async () => {
    const approval = page.getByRole('dialog', { name: 'Allow Keys to run?' });
    await expect(approval).toBeVisible();
    await expectFocusNotOnBody(page);
    await press('Tab');
    await expect(approval.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await press('Tab');
    await expect(approval.getByRole('button', { name: 'Allow and start' })).toBeFocused();
    await press('Enter');
    await expect(approval).toBeHidden();
    await expect(region(page, 'Keys').getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
    await expectFocusNotOnBody(page);
  });

  await test.step('call a tool', async () => {
    await press('Control+k');
    await type('keys echo');
    await expect(page.getByRole('option', { name: /Keys › echo/ })).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: 'test-results/palette.png' });
    await press('Enter');
    const tool = region(page, 'Keys').getByRole('region', { name: 'Tool echo' });
    await expect(tool.getByLabel('message')).toBeFocused();
    await type('hello from the keyboard');
    await press('Control+Enter');
    await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Echo: hello from the keyboard');
    await expectFocusNotOnBody(page);
  });

  await test.step('find the call in History', async () => {
    await press('Control+k');
    await type('history');
    await press('Enter');
    const history = page.getByRole('region', { name: 'History' });
    await expect(history.getByRole('searchbox', { name: 'Search history' })).toBeFocused();
    await expect(history.getByRole('status', { name: 'Matching records' })).toHaveText('1 record');
    await press('ArrowDown');
    const row = history.getByRole('button', { name: /^echo on Keys, ok/ });
    await expect(row).toBeFocused();
    await press('Enter');
    await expect(history.getByRole('complementary', { name: 'Call details' }).getByRole('region', { name: 'Request' })).toContainText(
      'hello from the keyboard',
    );
    await expectFocusNotOnBody(page);
  });

  console.log(`keyboard journey: ${count.presses} key presses, plus ${count.strings} typed values (${count.characters} characters)`);
  expect(count.presses).toBeLessThan(30);
});
