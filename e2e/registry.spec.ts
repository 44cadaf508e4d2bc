import { startRegistryFixture } from '../test/fixtures/registry/server';
import { startSdkServer } from '../test/fixtures/remote/servers';
import { expect, test } from './fixtures';
import { region } from './helpers';

// The registry end to end: the registry URL set through the dialog to a
// real-shaped registry on 127.0.0.1, a search, an npm entry installed with a
// secret and an argument (its approval shows the exact npx command; it is not
// run: npx would reach the network), and a remote entry pointing at a local
// MCP server, connected.

test('browse the registry, install an npm entry (approval shows the exact command) and a remote one', async ({ app, track }) => {
  const mcp = track(await startSdkServer());
  // Enough entries for a second page (the app asks for 30 at a time).
  const extra = Array.from({ length: 40 }, (_, i) => ({ server: { name: `io.github.filler/server-${i}`, description: 'Filler.', version: '1.0.0' } }));
  const registry = track(await startRegistryFixture({ remoteUrl: mcp.url, extra }));
  const { page } = app;

  await page.getByRole('button', { name: 'Browse registry…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Browse the MCP Registry' });
  await dialog.getByText(/^Registry:/).click();
  await dialog.getByLabel('Registry URL').fill(registry.url);
  await dialog.getByRole('button', { name: 'Save registry URL' }).click();
  await expect(dialog.getByText(`Registry: ${registry.url}`)).toBeVisible();

  // Every entry, a page at a time.
  const results = dialog.getByRole('list', { name: 'Registry results' });
  // 30 per page; the deleted entry on the first page is not listed.
  await expect(results.getByRole('listitem')).toHaveCount(29);
  await expect(results).not.toContainText('io.github.example/gone');
  await dialog.getByRole('button', { name: 'Load more' }).click();
  await expect(results.getByRole('listitem')).toHaveCount(11 + 40);
  await expect(dialog.getByRole('button', { name: 'Load more' })).toBeHidden();

  // Nothing found is said so; then a real search.
  await dialog.getByLabel('Search the registry').fill('no-such-server');
  await dialog.getByLabel('Search the registry').press('Enter');
  await expect(dialog.getByText('No servers found.')).toBeVisible();
  await dialog.getByLabel('Search the registry').fill('weather');
  await dialog.getByLabel('Search the registry').press('Enter');
  await results.getByRole('button', { name: 'Weather 1.2.0' }).click();

  const install = page.getByRole('dialog', { name: 'Install Weather' });
  await expect(install.getByLabel('Version')).toHaveValue('1.2.0');
  await expect(install.getByTestId('registry-becomes')).toContainText('npx -y @example/weather-mcp@1.2.0 --units {units} {data_dir}');
  const key = install.getByLabel('Environment variable WEATHER_API_KEY (required)');
  await expect(key).toHaveAttribute('type', 'password');
  await key.fill('sk-typed-in-the-dialog');
  await install.getByLabel('Argument data_dir (required)').fill('/tmp/cache; rm -rf ~');
  await install.getByLabel('Argument units').selectOption('imperial');
  await page.screenshot({ path: 'test-results/registry-install.png' });
  await install.getByRole('button', { name: 'Install' }).click();
  await expect(install).toBeHidden();

  // Installed and selected; connecting asks first, showing the exact argv.
  const detail = region(page, 'Weather');
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Connect' }).click();
  const approval = page.getByRole('dialog', { name: 'Allow Weather to run?' });
  await expect(approval.getByTestId('spec-command')).toHaveText('npx');
  await expect(approval.getByTestId('spec-args').getByRole('listitem')).toHaveText([
    '-y',
    '@example/weather-mcp@1.2.0',
    '--units',
    'imperial',
    '/tmp/cache; rm -rf ~',
  ]);
  await expect(approval.getByTestId('spec-env-WEATHER_API_KEY')).toContainText('secret (stored in the vault)');
  await expect(approval).not.toContainText('sk-typed-in-the-dialog');
  await page.screenshot({ path: 'test-results/registry-approval.png' });
  await approval.getByRole('button', { name: 'Close' }).click();
  await expect(approval).toBeHidden();

  // A remote entry, pointing at a local MCP server.
  await page.getByRole('button', { name: 'Browse registry…' }).click();
  const again = page.getByRole('dialog', { name: 'Browse the MCP Registry' });
  await again.getByLabel('Search the registry').fill('remote');
  await again.getByLabel('Search the registry').press('Enter');
  await again.getByRole('list', { name: 'Registry results' }).getByRole('button', { name: 'Remote Echo 3.0.0' }).click();
  const remote = page.getByRole('dialog', { name: 'Install Remote Echo' });
  await expect(remote.getByTestId('registry-becomes')).toContainText(mcp.url);
  await remote.getByLabel('Header X-Api-Key (required)').fill('remote-key');
  await remote.getByRole('button', { name: 'Install' }).click();
  await expect(remote).toBeHidden();
  const remoteDetail = region(page, 'Remote Echo');
  await remoteDetail.getByRole('button', { name: 'Connect' }).click();
  await expect(remoteDetail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
});
