import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { scanBothThemes, summarize } from './a11y';
import { expect, test } from './fixtures';

// Settings → Desktop in the real renderer against the real core: a notification
// switch that sticks, launch at login explained where the host has none, and
// diagnostics exported through the save dialog, without the secret the user stored.

test('the desktop settings: a notification switch persists; diagnostics export without secrets', async ({ launch, tempDir }) => {
  const zip = join(tempDir('diagnostics'), 'diag.zip');
  const { page } = await launch({ env: { SWITCHBOARD_E2E_SAVE_PATH: zip } });
  // A server with a secret the user typed (it goes to the vault).
  await page.getByRole('button', { name: 'Add your first server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name').fill('Keeper');
  await dialog.getByLabel('Command').fill(process.execPath);
  await dialog.getByRole('button', { name: 'Add variable' }).click();
  await dialog.getByLabel('variable 1 name').fill('SERVICE_KEY');
  await dialog.getByLabel('variable 1 value').fill('e2e-planted-secret-Xy7Qm2');
  await dialog.getByRole('checkbox', { name: 'Secret' }).check();
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toBeHidden();
  // Add connects, so the launch approval follows; this server never needs to run.
  const approval = page.getByRole('dialog', { name: 'Allow Keeper to run?' });
  await expect(approval).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(approval).toBeHidden();

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Desktop' });
  const tools = section.getByRole('checkbox', { name: 'A server changed its tools' });
  await expect(tools).toBeChecked();
  await tools.uncheck();
  await expect(tools).not.toBeChecked();
  // The harness has no login item: the switch is off, disabled, and says why.
  const login = section.getByRole('checkbox', { name: 'Open Switchboard when you log in' });
  await expect(login).toBeDisabled();
  await expect(section.getByText('Launch at login is only available in the desktop app.')).toBeVisible();
  await expect(section.getByRole('button', { name: 'Show data folder' })).toBeDisabled();
  const findings = await scanBothThemes(page, 'settings');
  expect(findings, summarize(findings)).toEqual([]);

  await section.getByRole('button', { name: 'Export diagnostics…' }).click();
  await expect(section.getByRole('status')).toHaveText(/^Diagnostics saved to .*diag\.zip \(\d+ files, secrets and tokens removed\)\.$/);
  const files = unzipSync(readFileSync(zip));
  const text = Object.values(files)
    .map((bytes) => strFromU8(bytes))
    .join('\n');
  expect(text).toContain('"name": "Keeper"');
  expect(text).not.toContain('e2e-planted-secret-Xy7Qm2');

  // Back later: the switch is as the user left it.
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Desktop' }).getByRole('checkbox', { name: 'A server changed its tools' })).not.toBeChecked();
});
