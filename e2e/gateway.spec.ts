import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect, test } from './fixtures';
import { connectServer, ROOT } from './helpers';

// The gateway through the GUI: turn it on, create a client, take its config,
// connect with a real SDK client from the test, call a tool, find the call in
// History under the client's name, revoke the client, and the next call fails.

const UPSTREAM = join(ROOT, 'test/fixtures/servers/gateway-upstream.mjs');

test('enable the gateway, create a client, call a tool through it, see it in History, revoke it', async ({ app }) => {
  const { page } = app;
  await connectServer(page, 'Upstream', [UPSTREAM]);

  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('button', { name: 'Gateway for other apps' }).click();
  const gateway = page.getByRole('region', { name: 'Gateway' });
  await expect(gateway.getByRole('status', { name: 'Gateway status' })).toContainText('Off');
  await gateway.getByRole('checkbox', { name: 'Gateway on' }).click();
  await expect(gateway.getByRole('checkbox', { name: 'Gateway on' })).toBeChecked();
  await expect(gateway.getByTestId('gateway-address')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);

  const form = gateway.getByRole('form', { name: 'New gateway client' });
  await form.getByRole('textbox', { name: 'Client name' }).fill('Claude Code');
  await form.getByRole('checkbox', { name: 'Upstream' }).check();
  await form.getByRole('textbox', { name: 'Never these tools of Upstream' }).fill('wipe');
  await form.getByRole('button', { name: 'Create client and show its token' }).click();

  const tokenPanel = gateway.getByRole('region', { name: 'Token for Claude Code' });
  await expect(tokenPanel).toBeVisible();
  await tokenPanel.getByRole('button', { name: 'Copy config' }).click();
  const config = JSON.parse((await tokenPanel.getByTestId('gateway-config').textContent()) ?? '{}') as {
    mcpServers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
  };
  const entry = config.mcpServers.Upstream!;
  expect(entry.type).toBe('http');
  expect(entry.headers.Authorization).toBe(`Bearer ${await tokenPanel.getByTestId('gateway-token').textContent()}`);
  await tokenPanel.getByRole('button', { name: 'Done' }).click();
  await expect(tokenPanel).toBeHidden();

  const client = new Client({ name: 'e2e-gateway-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }));
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain('echo');
    expect(tools).not.toContain('wipe');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'through the gateway' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: through the gateway' }]);

    const row = gateway.getByRole('listitem', { name: 'Claude Code' });
    await expect(row).toContainText('last call echo (ok)');
    await page.screenshot({ path: 'test-results/gateway.png' });

    await views.getByRole('button', { name: 'History of all calls' }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('combobox', { name: 'Filter by client' }).selectOption('Claude Code');
    const call = history.getByRole('button', { name: /^echo on Upstream by Claude Code, ok/ });
    await expect(call).toBeVisible();
    await call.click();
    await expect(page.getByTestId('record-client')).toHaveText('Called through the gateway by Claude Code');

    await views.getByRole('button', { name: 'Gateway for other apps' }).click();
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByRole('button', { name: 'Revoke Claude Code now' }).click();
    await expect(gateway.getByRole('listitem', { name: 'Claude Code' })).toBeHidden();
    await expect(client.callTool({ name: 'echo', arguments: { message: 'again' } })).rejects.toThrow();
  } finally {
    await client.close();
  }
});

test('write a gateway client into Claude Desktop (the bridge, token in env) and Cursor (Authorization header), and use the written entry', async ({
  launch,
  tempDir,
}) => {
  const home = tempDir('home');
  const { page } = await launch({ env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
  await connectServer(page, 'Upstream', [UPSTREAM]);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gateway for other apps' }).click();
  const gateway = page.getByRole('region', { name: 'Gateway' });
  await gateway.getByRole('checkbox', { name: 'Gateway on' }).click();
  await expect(gateway.getByTestId('gateway-address')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  const form = gateway.getByRole('form', { name: 'New gateway client' });
  await form.getByRole('textbox', { name: 'Client name' }).fill('Claude Desktop');
  await form.getByRole('checkbox', { name: 'Upstream' }).check();
  await form.getByRole('button', { name: 'Create client and show its token' }).click();
  const tokenPanel = gateway.getByRole('region', { name: 'Token for Claude Desktop' });
  const token = (await tokenPanel.getByTestId('gateway-token').textContent())!.trim();

  // Claude Desktop: the bridge, after confirming the token may be written in plaintext in its env block.
  const desktopPath = join(home, '.config', 'Claude', 'claude_desktop_config.json');
  await tokenPanel.getByRole('button', { name: 'Write to a client’s config…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Write Claude Desktop into another app’s config' });
  await dialog.getByLabel('Client config file').selectOption({ label: `Claude Desktop (user) — ${desktopPath} (new file)` });
  await dialog.getByRole('checkbox', { name: /Claude Desktop takes the gateway token/ }).click();
  await expect(dialog.getByLabel(`Changes to ${desktopPath}`)).not.toContainText(token);
  await dialog.getByRole('button', { name: 'Write 1 to file' }).click();
  await page.getByRole('dialog', { name: 'Export written' }).getByRole('button', { name: 'Done' }).click();
  const entry = JSON.parse(readFileSync(desktopPath, 'utf8')).mcpServers.Upstream as { command: string; args: string[]; env: Record<string, string> };
  expect(entry.args).toContain('--mcp-bridge');
  expect(entry.args.join(' ')).not.toContain(token);
  expect(entry.env).toEqual({ SWITCHBOARD_GATEWAY_TOKEN: token });

  // Cursor: an HTTP entry whose Authorization header refers to an environment variable.
  const cursorPath = join(home, '.cursor', 'mcp.json');
  await tokenPanel.getByRole('button', { name: 'Write to a client’s config…' }).click();
  await dialog.getByLabel('Client config file').selectOption({ label: `Cursor (user) — ${cursorPath} (new file)` });
  await expect(dialog).toContainText('Its value is the token shown in the Gateway view.');
  await dialog.getByRole('button', { name: 'Write 1 to file' }).click();
  await page.getByRole('dialog', { name: 'Export written' }).getByRole('button', { name: 'Done' }).click();
  expect(JSON.parse(readFileSync(cursorPath, 'utf8')).mcpServers.Upstream.headers).toEqual({ Authorization: 'Bearer ${env:UPSTREAM_AUTHORIZATION}' });

  // The Claude Desktop entry, run as Claude Desktop runs it.
  const client = new Client({ name: 'claude-desktop-stand-in', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: process.env.PATH ?? '', ...entry.env } }));
  try {
    const result = await client.callTool({ name: 'echo', arguments: { message: 'through the bridge' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: through the bridge' }]);
    await expect(gateway.getByRole('listitem', { name: 'Claude Desktop' })).toContainText('last call echo (ok)');
  } finally {
    await client.close();
  }
});

test('one combined endpoint: two servers that share a tool name, both reachable through /mcp, each call in History under its real server', async ({ app }) => {
  const { page } = app;
  await connectServer(page, 'Upstream', [UPSTREAM]);
  await connectServer(page, 'Second', [UPSTREAM]);
  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('button', { name: 'Gateway for other apps' }).click();
  const gateway = page.getByRole('region', { name: 'Gateway' });
  await gateway.getByRole('checkbox', { name: 'Gateway on' }).click();
  await expect(gateway.getByTestId('gateway-address')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);

  const form = gateway.getByRole('form', { name: 'New gateway client' });
  await form.getByRole('textbox', { name: 'Client name' }).fill('Combined');
  await form.getByRole('checkbox', { name: 'Upstream' }).check();
  await form.getByRole('checkbox', { name: 'Second' }).check();
  await form.getByRole('textbox', { name: 'Never these tools of Upstream' }).fill('wipe');
  await expect(form.getByRole('checkbox', { name: 'One combined endpoint' })).not.toBeChecked();
  await form.getByRole('checkbox', { name: 'One combined endpoint' }).check();
  await form.getByRole('button', { name: 'Create client and show its token' }).click();

  const tokenPanel = gateway.getByRole('region', { name: 'Token for Combined' });
  const config = JSON.parse((await tokenPanel.getByTestId('gateway-config').textContent()) ?? '{}') as {
    mcpServers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
  };
  expect(Object.keys(config.mcpServers)).toEqual(['Switchboard']);
  const entry = config.mcpServers.Switchboard!;
  expect(entry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  await tokenPanel.getByRole('button', { name: 'Done' }).click();
  const endpoint = gateway.getByRole('listitem', { name: 'Combined' }).getByRole('group', { name: 'Combined endpoint of Combined' });
  await expect(endpoint.getByTestId('gateway-combined-url')).toHaveText(entry.url);
  await expect(endpoint).toContainText('upstream__… for Upstream, second__… for Second');

  const client = new Client({ name: 'e2e-combined-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(entry.url), { requestInit: { headers: entry.headers } }));
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['upstream__echo', 'second__echo', 'second__wipe']));
    expect(tools).not.toContain('upstream__wipe');
    const result = await client.callTool({ name: 'second__echo', arguments: { message: 'combined' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: combined' }]);
    await expect(client.callTool({ name: 'upstream__wipe', arguments: {} })).rejects.toThrow(/not found/);

    await views.getByRole('button', { name: 'History of all calls' }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('combobox', { name: 'Filter by client' }).selectOption('Combined');
    await expect(history.getByRole('button', { name: /^echo on Second by Combined, ok/ })).toBeVisible();
  } finally {
    await client.close();
  }
});
