import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { addStdioServer, approveLaunch, EVERYTHING_SERVER, FIXTURE_SERVER, processesMentioning, region } from './helpers';

test('add server-everything through the GUI, approve, connect, see echo and stderr, disconnect', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  await addStdioServer(page, { name: 'Everything', command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'] });
  const detail = region(page, 'Everything');
  // Add connects: the launch approval is the review step, no separate Connect click.
  const approval = page.getByRole('dialog', { name: 'Allow Everything to run?' });
  await expect(approval.getByTestId('spec-command')).toHaveText(process.execPath);
  await expect(approval.getByTestId('spec-args')).toContainText(EVERYTHING_SERVER);
  await approveLaunch(page, 'Everything');

  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
  await detail.getByRole('tab', { name: 'Overview' }).click();
  await expect(detail.getByText('Protocol version')).toBeVisible();
  await expect(detail.getByRole('list', { name: 'Capabilities' })).toContainText('tools');
  await detail.getByRole('tab', { name: /Tools/ }).click();
  await expect(detail.getByRole('option', { name: 'echo', exact: true })).toBeVisible();

  await detail.getByRole('tab', { name: 'Logs', exact: true }).click();
  // server-everything logs its startup to stderr.
  await expect(detail.getByRole('log', { name: 'Server log' }).locator('.log-stderr')).toContainText('Starting default (STDIO) server...');

  await detail.getByRole('button', { name: 'Disconnect' }).click();
  await expect(detail.getByRole('status', { name: 'Status: Stopped' })).toBeVisible();
  await page.screenshot({ path: 'test-results/stdio-stopped.png' });
});

test('stderr of a local server streams into the log', async ({ app }) => {
  const { page } = app;
  await addStdioServer(page, { name: 'Chatty', command: process.execPath, args: [FIXTURE_SERVER, 'spam=5'] });
  const detail = region(page, 'Chatty');
  await approveLaunch(page, 'Chatty');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  await detail.getByRole('tab', { name: 'Logs', exact: true }).click();
  await expect(detail.getByRole('log')).toContainText('spam line 4');
  await expect(detail.getByRole('log')).toContainText('initialized');
});

test('a command that does not exist gives a clear error in the dialog', async ({ app }) => {
  const { page } = app;
  await addStdioServer(page, { name: 'Ghost', command: 'no-such-command-switchboard' });
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await expect(dialog.getByText('Command not found on PATH: "no-such-command-switchboard"')).toBeVisible();
  await expect(dialog.getByLabel('Command')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
});

test('a crashing server is restarted and the UI says so', async ({ app }) => {
  const { page } = app;
  await addStdioServer(page, { name: 'Crashy', command: process.execPath, args: [FIXTURE_SERVER, 'crash-after=1500'] });
  const detail = region(page, 'Crashy');
  await approveLaunch(page, 'Crashy');
  await expect(detail.getByRole('status', { name: 'Status: Crashed' })).toBeVisible({ timeout: 20_000 });
  await expect(detail.getByRole('alert').filter({ hasText: 'exited with code 3' }).first()).toBeVisible();
  await expect(detail.getByText(/restart 1 of 5/)).toBeVisible();
  await expect(detail.getByText('about to crash').first()).toBeVisible();
  // It comes back after the backoff.
  await expect(detail.getByText('Restarted after a crash (restart 1 of 5).')).toBeVisible({ timeout: 20_000 });
  await detail.getByRole('button', { name: 'Disconnect' }).click();
});

test('editing the command asks for approval again', async ({ app }) => {
  const { page } = app;
  await addStdioServer(page, { name: 'Fixture', command: process.execPath, args: [FIXTURE_SERVER, 'ok'] });
  const detail = region(page, 'Fixture');
  await approveLaunch(page, 'Fixture');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  await detail.getByRole('button', { name: 'Disconnect' }).click();
  await expect(detail.getByRole('status', { name: 'Status: Stopped' })).toBeVisible();

  await detail.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Fixture' });
  await edit.getByLabel('Arguments').fill([FIXTURE_SERVER, 'ok', 'spam=2'].join('\n'));
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  // Another program adds an environment variable behind the app's back.
  const file = join(app.dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings.servers[0].env.push({ name: 'NODE_OPTIONS', secret: false, value: '--require=/tmp/evil.js' });
  writeFileSync(file, JSON.stringify(settings));

  await detail.getByRole('button', { name: 'Connect' }).click();
  const approval = page.getByRole('dialog', { name: 'Allow Fixture to run?' });
  await expect(approval).toContainText('The launch command changed since you last approved it.');
  await expect(approval.getByTestId('spec-args')).toContainText('spam=2');
  // Exactly the changes are highlighted, with the values: the new argument and the new variable.
  await expect(approval.locator('.changed')).toHaveCount(2);
  await expect(approval.getByTestId('spec-args').locator('li.changed')).toHaveText(/spam=2\s*was absent/);
  await expect(approval.getByTestId('spec-env-NODE_OPTIONS')).toHaveClass(/changed/);
  await expect(approval.getByTestId('spec-env-NODE_OPTIONS')).toContainText('--require=/tmp/evil.js');
  await approval.getByRole('button', { name: 'Cancel' }).click();
  await expect(detail.getByRole('status', { name: 'Status: Stopped' })).toBeVisible();
});

test('after close() no child or grandchild process of the app remains', async ({ app, dataDir }) => {
  const { page } = app;
  const pidFile = join(dataDir, 'grandchild.pid');
  await addStdioServer(page, { name: 'Parent', command: process.execPath, args: [FIXTURE_SERVER, `grandchild=${pidFile}`, 'ignore-sigterm'] });
  const detail = region(page, 'Parent');
  await approveLaunch(page, 'Parent');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
  const grandchild = Number(readFileSync(pidFile, 'utf8'));
  expect(processesMentioning(pidFile).length).toBeGreaterThan(0);
  await app.close();
  expect(processesMentioning(pidFile)).toEqual([]);
  expect(() => process.kill(grandchild, 0)).toThrow();
});

test('an unreadable settings file is kept aside and the app starts with fresh settings', async ({ launch, dataDir }) => {
  writeFileSync(join(dataDir, 'settings.json'), '{ "servers": [ {"name": "half written');
  const { page } = await launch();
  await expect(page.getByRole('alert').filter({ hasText: 'Your settings file could not be read' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible();
  const aside = readdirSync(dataDir).find((f) => f.startsWith('settings.unreadable-'));
  expect(aside).toBeTruthy();
  expect(readFileSync(join(dataDir, aside!), 'utf8')).toContain('half written');
});

test('a hand-edited server entry that does not validate is reported, kept, and the rest still load', async ({ launch, dataDir }) => {
  const good = { id: 'good-1', name: 'Good one', enabled: false, transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER], env: [] };
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ schemaVersion: 1, servers: [good, { id: 'bad-1', transport: 'stdio', name: 'Bad one', command: 42 }], approvals: {}, preferences: {} }),
  );
  const app = await launch();
  const { page } = app;
  await expect(page.getByRole('alert').filter({ hasText: 'One server entry in the settings file could not be read' })).toContainText('#2 (Bad one): ');
  await expect(page.getByRole('alert').filter({ hasText: 'One server entry' })).toContainText('command: Invalid input: expected string, received number');
  await expect(page.getByRole('navigation', { name: 'Servers' }).getByRole('option', { name: /Good one/ })).toBeVisible();
  await app.close();
  expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).servers[1]).toMatchObject({ id: 'bad-1', command: 42 });
});
