import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const ROOT = resolve(import.meta.dirname, '..');
export const FIXTURE_SERVER = join(ROOT, 'test/fixtures/servers/fixture-server.mjs');
export const TOOL_CHANGER = join(ROOT, 'test/fixtures/servers/tool-changer.mjs');
export const EVERYTHING_SERVER = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export interface StdioForm {
  name: string;
  command: string;
  args?: string[];
  cwd?: string;
}

/** Fills the Add server dialog the way a user does. A local server then asks for launch approval (Add connects it). */
export async function addStdioServer(page: Page, form: StdioForm): Promise<void> {
  await page
    .getByRole('button', { name: /^Add (server|your first server)$/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Name').fill(form.name);
  await dialog.getByLabel('Command').fill(form.command);
  if (form.args) await dialog.getByLabel('Arguments').fill(form.args.join('\n'));
  if (form.cwd) await dialog.getByLabel('Working directory').fill(form.cwd);
  await dialog.getByRole('button', { name: 'Add server' }).click();
}

export async function approveLaunch(page: Page, serverName: string): Promise<void> {
  const approval = page.getByRole('dialog', { name: `Allow ${serverName} to run?` });
  await expect(approval).toBeVisible();
  await approval.getByRole('button', { name: 'Allow and start' }).click();
  await expect(approval).toBeHidden();
}

export function statusOf(page: Page) {
  return page.getByRole('banner').getByRole('status');
}

/** Every live process whose command line mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8');
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      if (/\) Z /.test(stat)) continue; // zombies awaiting reaping are gone already
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      /* exited while we looked */
    }
  }
  return pids;
}

/** A server's detail view. */
export const region = (page: Page, name: string): Locator => page.getByRole('region', { name: `Server ${name}` });

/** Adds, approves and connects a stdio server run by this Node (Add connects: the approval is its review step). */
export async function connectServer(page: Page, name: string, args: string[]): Promise<Locator> {
  await addStdioServer(page, { name, command: process.execPath, args });
  const detail = region(page, name);
  await approveLaunch(page, name);
  await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible({ timeout: 30_000 });
  // The add flow lands on Tools; the specs built on this helper start from the Overview.
  await expect(detail.getByRole('tab', { name: /^Tools/ })).toHaveAttribute('aria-selected', 'true');
  await detail.getByRole('tab', { name: 'Overview' }).click();
  return detail;
}

/** Opens a tool's form from the Tools tab. */
export async function openTool(detail: Locator, tool: string): Promise<Locator> {
  await detail.getByRole('tab', { name: /^Tools/ }).click();
  await detail.getByRole('searchbox', { name: 'Search tools' }).fill(tool);
  await detail.getByRole('option', { name: tool, exact: true }).click();
  return detail.getByRole('region', { name: `Tool ${tool}` });
}

/** Every file under a folder (to check that no secret reached the data dir). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Opens Add server on the Remote (HTTP) form with a name and URL filled in; returns the dialog. */
export async function openRemoteServerForm(page: Page, name: string, url: string): Promise<Locator> {
  await page
    .getByRole('button', { name: /^Add (server|your first server)$/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await dialog.getByLabel('Remote (HTTP)').check();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Server URL').fill(url);
  return dialog;
}

/** Adds a remote server; `beforeSubmit` may check or fill more of the form first. */
export async function addRemoteServer(page: Page, name: string, url: string, beforeSubmit?: (dialog: Locator) => Promise<void>): Promise<void> {
  const dialog = await openRemoteServerForm(page, name, url);
  await beforeSubmit?.(dialog);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toBeHidden();
}
