import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from './fixtures';
import { FIXTURE_SERVER } from './helpers';

// Another client's config changed behind the user's back: the banner says what
// changed, Ignore makes it the new baseline, "Review and import" opens the
// import dialog on that file with the changed server chosen.

const write = (path: string, servers: Record<string, unknown>) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ mcpServers: servers }, null, 2));
};

test('a change to Cursor’s config shows a banner; Ignore hides it; a later change can be reviewed and imported', async ({ launch, tempDir, dataDir }) => {
  const home = tempDir('home');
  const cursor = join(home, '.cursor', 'mcp.json');
  write(cursor, { notes: { command: 'npx', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'nt-e2e-secret-value-1' } } });
  const { page } = await launch({ env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
  // The watcher has accepted the file as it was (first sight: no alert).
  const settings = join(dataDir, 'settings.json');
  await expect.poll(() => existsSync(settings) && readFileSync(settings, 'utf8').includes(cursor), { timeout: 15_000 }).toBe(true);
  await expect(page.getByRole('region', { name: 'Cursor config changed' })).toHaveCount(0);

  write(cursor, { notes: { command: 'node', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'nt-e2e-secret-value-2' } } });
  let banner = page.getByRole('region', { name: 'Cursor config changed' });
  await expect(banner).toContainText('Cursor’s config changed since Switchboard last looked:', { timeout: 15_000 });
  await expect(banner.getByRole('listitem')).toHaveText(['server notes: its command changed from “npx” to “node”']);
  await expect(banner).not.toContainText('nt-e2e-secret');
  await page.screenshot({ path: 'test-results/client-configs-watch.png' });
  await banner.getByRole('button', { name: 'Ignore' }).click();
  await expect(banner).toHaveCount(0);

  write(cursor, {
    notes: { command: 'node', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'x' } },
    'local-fixture': { command: process.execPath, args: [FIXTURE_SERVER] },
  });
  banner = page.getByRole('region', { name: 'Cursor config changed' });
  await expect(banner).toContainText(`gained server local-fixture (runs “${process.execPath} ${FIXTURE_SERVER}”)`, { timeout: 15_000 });
  await banner.getByRole('button', { name: 'Review and import' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import servers from other apps' });
  await expect(dialog.getByRole('region', { name: 'Cursor user config' })).toBeVisible();
  await expect(dialog.getByRole('checkbox', { name: 'Import local-fixture from Cursor' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Import notes from Cursor' })).not.toBeChecked();
  await dialog.getByRole('button', { name: 'Import 1 server' }).click();
  const done = page.getByRole('dialog', { name: 'Import finished' });
  await expect(done.getByRole('status')).toHaveText('1 server imported; approve each local server before it starts.');
  await done.getByRole('button', { name: 'Done' }).click();
  // Imported: the change is accepted.
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Servers' }).getByRole('option', { name: /^local-fixture local/ })).toBeVisible();
});
