import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cursor, vscode } from '../electron/core/client-configs';
import { fillHome } from '../test/client-configs/home';
import { expect, test } from './fixtures';
import { approveLaunch, FIXTURE_SERVER, region } from './helpers';

// The desktop hub end to end: a temporary home with one real-shaped config per
// client, imported through the GUI, one imported local server approved and
// connected, then exported into Cursor's and VS Code's files.

test('import every client, answer a VS Code input, connect an imported server, export it to Cursor and VS Code', async ({ launch, tempDir }) => {
  const home = tempDir('home');
  const files = fillHome(home);
  // A local server this machine can really run, next to Claude Desktop's own entries.
  const desktop = JSON.parse(readFileSync(files['claude-desktop'], 'utf8')) as { mcpServers: Record<string, unknown> };
  desktop.mcpServers['local-fixture'] = { command: process.execPath, args: [FIXTURE_SERVER] };
  writeFileSync(files['claude-desktop'], JSON.stringify(desktop, null, 2));
  const { page } = await launch({ env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });

  await page.getByRole('button', { name: 'Import from…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import servers from other apps' });
  for (const client of ['Claude Desktop', 'Claude Code', 'Cursor', 'VS Code', 'Windsurf'])
    await expect(dialog.getByRole('region', { name: `${client} user config` })).toBeVisible();
  const vs = dialog.getByRole('region', { name: 'VS Code user config' });
  const token = vs.getByLabel('GitHub token (github-token)');
  await expect(token).toHaveAttribute('type', 'password');
  await token.fill('ghp_typed_in_the_dialog_0123456789');
  await vs.getByLabel('Perplexity API key (perplexity-key)').fill('pplx-typed-0123456789');
  // Skipped servers say why; secret values from the files are not shown.
  await expect(dialog.getByRole('region', { name: 'Cursor user config' })).toContainText('Skipped: Cannot resolve ${workspaceFolder}');
  await expect(dialog).not.toContainText('ghp_1234567890');
  await dialog.getByLabel('Value of header Authorization for sentry').fill('Bearer typed');
  await page.screenshot({ path: 'test-results/client-configs-import.png' });
  await dialog.getByRole('button', { name: /^Import \d+ servers$/ }).click();

  const done = page.getByRole('dialog', { name: 'Import finished' });
  await expect(done.getByRole('status')).toHaveText(/^\d+ servers imported; approve each local server before it starts\.$/);
  // Only a command missing on this machine (e.g. uvx) may keep a server out, and it says so.
  for (const failed of await done.getByRole('list', { name: 'Not imported' }).getByRole('listitem').allTextContents())
    expect(failed).toMatch(/Command not found on PATH/);
  await done.getByRole('button', { name: 'Done' }).click();

  const list = page.getByRole('navigation', { name: 'Servers' });
  for (const name of ['local-fixture', 'github', 'github-vscode', 'sentry', 'context7', 'figma'])
    await expect(list.getByRole('option', { name: new RegExp(`^${name} (local|remote)`) })).toBeVisible();
  // Importing trusts nothing: the local server asks for approval before it runs.
  await page
    .getByRole('navigation', { name: 'Servers' })
    .getByRole('option', { name: /local-fixture/ })
    .click();
  const detail = region(page, 'local-fixture');
  await detail.getByRole('button', { name: 'Connect' }).click();
  await approveLaunch(page, 'local-fixture');
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });

  // Export the selected server into Cursor's user file.
  await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'Export to…' }).click();
  let exp = page.getByRole('dialog', { name: 'Export servers to another app' });
  await exp.getByLabel('Client config file').selectOption({ label: `Cursor (user) — ${files.cursor}` });
  await expect(exp.getByLabel(`Changes to ${files.cursor}`)).toContainText('"local-fixture"');
  await page.screenshot({ path: 'test-results/client-configs-export.png' });
  // Switchboard's own file refers to secrets by name only.
  const download = page.waitForEvent('download');
  await exp.getByRole('button', { name: 'Save as Switchboard file…' }).click();
  const own = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { mcpServers: Record<string, { command?: string }> };
  expect(own.mcpServers['local-fixture']?.command).toBe(process.execPath);
  await exp.getByRole('button', { name: 'Write 1 to file' }).click();
  let written = page.getByRole('dialog', { name: 'Export written' });
  await expect(written).toContainText('.switchboard-backup-');
  await written.getByRole('button', { name: 'Done' }).click();
  const cursorFile = cursor.parse(readFileSync(files.cursor, 'utf8'));
  expect(cursorFile.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(cursorFile.servers.map((s) => s.name)).toEqual(['notes', 'context7', 'local-fixture']);
  expect(cursorFile.servers[2]).toMatchObject({ command: process.execPath, args: [FIXTURE_SERVER] });

  // And into VS Code's (from the server's own page), whose comments survive.
  await detail.getByRole('button', { name: 'Export to…' }).click();
  exp = page.getByRole('dialog', { name: 'Export servers to another app' });
  await exp.getByLabel('Client config file').selectOption({ label: `VS Code (user) — ${files.vscode}` });
  await expect(exp.getByLabel(`Changes to ${files.vscode}`)).toContainText('"local-fixture"');
  await exp.getByRole('button', { name: 'Write 1 to file' }).click();
  written = page.getByRole('dialog', { name: 'Export written' });
  await expect(written).toContainText('.switchboard-backup-');
  await written.getByRole('button', { name: 'Done' }).click();
  const vsText = readFileSync(files.vscode, 'utf8');
  expect(vsText).toContain('// Playwright for browser automation');
  expect(vsText).toContain('"sandbox": { "network": "allow" }, // not Switchboard\'s');
  const vsFile = vscode.parse(vsText);
  expect(vsFile.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(vsFile.servers.find((s) => s.name === 'local-fixture')).toMatchObject({ type: 'stdio', command: process.execPath });
});

test('with no client config in the home, the import dialog says where it looked; a project folder can be added', async ({ launch, tempDir }) => {
  const home = tempDir('empty-home');
  const project = tempDir('project');
  mkdirSync(join(project, '.vscode'));
  writeFileSync(
    join(project, '.vscode', 'mcp.json'),
    '{ "servers": { "local": { "type": "stdio", "command": "node", "args": ["${workspaceFolder}/server.js"] } } }',
  );
  const { page } = await launch({ env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), SWITCHBOARD_E2E_FOLDER: project } });
  await page.getByRole('button', { name: 'Import from…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import servers from other apps' });
  await expect(dialog).toContainText(`No client configs found in ${home}.`);
  await dialog.getByRole('button', { name: 'Add a project folder…' }).click();
  const workspace = dialog.getByRole('region', { name: 'VS Code workspace config' });
  await expect(workspace).toContainText(`node ${project}/server.js`);
  await expect(workspace.getByRole('checkbox', { name: 'Import local from VS Code' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});
