import { expect, test } from './fixtures';
import { approveLaunch, FIXTURE_SERVER, region } from './helpers';

// An install link (here Cursor's shape, arriving at launch as the OS passes it)
// opens the Add-server dialog prefilled and nothing else: the user reviews,
// types the secret, adds, and the command still needs its launch approval.

const cursorLink = (name: string, entry: unknown) =>
  `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(Buffer.from(JSON.stringify(entry)).toString('base64'))}`;
const asSwitchboard = (link: string) => link.replace('cursor://anysphere.cursor-deeplink/mcp/install', 'switchboard://install');

test('a link at launch opens the Add-server dialog prefilled; adding and connecting still ask for approval', async ({ launch }) => {
  const link = cursorLink('Linked', { command: process.execPath, args: [FIXTURE_SERVER], env: { LOG_LEVEL: 'debug', API_TOKEN: 'tok-from-the-link' } });
  const { page } = await launch({ env: { SWITCHBOARD_E2E_INSTALL_LINK: asSwitchboard(link) } });
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(
    dialog.getByText('From a link (Switchboard format): review everything before adding. Nothing runs until you approve the command.'),
  ).toBeVisible();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Linked');
  await expect(dialog.getByLabel('Command', { exact: true })).toHaveValue(process.execPath);
  await expect(dialog.getByLabel('Arguments', { exact: true })).toHaveValue(FIXTURE_SERVER);
  await expect(dialog.getByLabel('variable 1 value')).toHaveValue('debug');
  // The secret-looking value from the link is not used: the user types it.
  await expect(dialog.getByLabel('variable 2 value')).toHaveValue('');
  await expect(dialog.getByText(/Type the value of "API_TOKEN" yourself/)).toBeVisible();
  // Nothing was added by the link itself.
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();

  await dialog.getByLabel('variable 2 value').fill('typed-by-the-user');
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const detail = region(page, 'Linked');
  const approval = page.getByRole('dialog', { name: 'Allow Linked to run?' });
  await expect(approval.getByTestId('spec-command')).toHaveText(process.execPath);
  await approveLaunch(page, 'Linked');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
});

test('a hostile link is refused with a reason and opens nothing', async ({ launch }) => {
  const { page } = await launch({ env: { SWITCHBOARD_E2E_INSTALL_LINK: asSwitchboard(cursorLink('Evil', { url: 'javascript:alert(1)//' })) } });
  await expect(page.getByRole('alert').filter({ hasText: 'This install link was refused' })).toContainText('javascript');
  await expect(page.getByRole('dialog', { name: 'Add server' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
});
