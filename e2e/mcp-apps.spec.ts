import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { connectServer, openTool, ROOT } from './helpers';

// MCP Apps end to end in Chromium: the fixture server (test/fixtures/servers/apps-server.mjs) ships a dashboard
// app and a hostile one. The app renders after the call on its server's own origin, its button calls the app-only
// tool through the host and History records that; the hostile app's attempts all fail and are shown.

const APPS_SERVER = join(ROOT, 'test/fixtures/servers/apps-server.mjs');

/** A loopback server that only counts requests: the origin the hostile app may not reach. */
async function counter(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('an app renders after its tool is called, calls its app-only tool through Switchboard, and History records the call', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Apps', [APPS_SERVER]);

  await test.step('tool rows show the App and app-only chips', async () => {
    await detail.getByRole('tab', { name: /^Tools/ }).click();
    const tools = detail.getByRole('listbox', { name: 'Tools' });
    await expect(tools.getByRole('option', { name: 'show-dashboard', exact: true })).toContainText('App');
    await expect(tools.getByRole('option', { name: 'refresh-stats', exact: true })).toContainText('app only');
    const appOnly = await openTool(detail, 'refresh-stats');
    await expect(appOnly).toContainText("Only this server's app calls this tool");
  });

  const tool = await openTool(detail, 'show-dashboard');
  await tool.getByLabel('name').fill('Ada');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Dashboard for Ada');

  const panel = tool.getByRole('region', { name: 'App ui://apps/dashboard' });
  const frameElement = panel.locator('iframe');
  const frame = panel.frameLocator('iframe');

  await test.step('the frame is sandboxed on an origin of its own, with the restrictive CSP', async () => {
    await expect(frameElement).toHaveAttribute('sandbox', 'allow-scripts allow-same-origin');
    const src = await frameElement.getAttribute('src');
    expect(new URL(src!).hostname).toMatch(/^[0-9a-f]{32}\.localhost$/);
    expect(new URL(src!).origin).not.toBe(new URL(page.url()).origin);
    await expect(panel.getByText("default-src 'none'", { exact: false })).toBeAttached();
  });

  await test.step('ui/initialize, tool-input and tool-result reach the app', async () => {
    await expect(frame.locator('#context')).toContainText('Host: Switchboard; theme light; locale en');
    await expect(frame.locator('#context')).toContainText('mode inline');
    // Our CSS variables (light theme background) and the frame's width.
    await expect(frame.locator('#context')).toHaveAttribute('data-background', '#ffffff');
    expect(Number(await frame.locator('#context').getAttribute('data-variables'))).toBeGreaterThan(10);
    expect(Number(await frame.locator('#context').getAttribute('data-width'))).toBeGreaterThan(300);
    await expect(frame.locator('#input')).toHaveText('Input: {"name":"Ada"}');
    await expect(frame.locator('#result')).toHaveText('Result: Dashboard for Ada (7 visitors)');
  });

  await test.step("the app's button calls the app-only tool; the answer is shown in the app", async () => {
    await frame.getByRole('button', { name: 'Refresh stats' }).click();
    await expect(frame.locator('#out')).toHaveText('stats: 42 calls today');
    await expect(panel.getByRole('list', { name: 'App activity' })).toContainText('tools/call refresh-stats: answered');
    await frameElement.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath('mcp-app.png') });
  });

  await test.step('ui/open-link asks first (declined: nothing opens); ui/message is shown in the panel', async () => {
    await frame.getByRole('button', { name: 'Open docs' }).click();
    const consent = panel.getByRole('group', { name: 'The app asks to open a link' });
    await expect(consent).toContainText('https://example.com');
    await expect(consent).toContainText('https://example.com/docs');
    await consent.getByRole('button', { name: "Don't open" }).click();
    await expect(consent).toBeHidden();
    await expect(frame.locator('#out')).toHaveText('Link not opened');
    expect(page.context().pages()).toHaveLength(1);
    await frame.getByRole('button', { name: 'Say hello' }).click();
    await expect(panel.getByRole('list', { name: 'App activity' })).toContainText('Message: Hello from the dashboard');
  });

  await test.step('History records what the app did, as made by the app', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('region', { name: 'History' });
    const list = history.getByRole('list', { name: 'History records' });
    await expect(list.getByRole('button', { name: /^ui\/open-link on Apps by App ui:\/\/apps\/dashboard, cancelled/ })).toBeVisible();
    await expect(list.getByRole('button', { name: /^ui\/message on Apps by App ui:\/\/apps\/dashboard, ok/ })).toBeVisible();
    await expect(
      history.getByRole('list', { name: 'History records' }).getByRole('button', { name: /^refresh-stats on Apps by App ui:\/\/apps\/dashboard, ok/ }),
    ).toBeVisible();
  });
});

test("a hostile app reaches neither Switchboard's API, the top frame, an undeclared origin nor a tool hidden from it", async ({ launch, track }) => {
  const probe = track(await counter());
  const { page } = await launch();
  const detail = await connectServer(page, 'Hostile', [APPS_SERVER, '--probe', probe.url]);
  const appUrl = page.url();
  const tool = await openTool(detail, 'show-hostile');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const panel = tool.getByRole('region', { name: 'App ui://apps/hostile' });
  const frame = panel.frameLocator('iframe');
  await expect(frame.locator('body[data-done="true"]')).toBeAttached({ timeout: 20_000 });

  for (const attempt of ['parent-api', 'top-navigation', 'undeclared-fetch', 'hidden-tool', 'popup', 'javascript-link'])
    await expect(frame.locator(`li[data-attempt="${attempt}"]`), attempt).toHaveAttribute('data-outcome', 'blocked');
  await expect(frame.locator('li[data-outcome="succeeded"]')).toHaveCount(0);

  // Shown by the host too: the refused tool call and link.
  const refused = panel.getByRole('list', { name: 'Refused app requests' });
  await expect(refused).toContainText('tools/call model-only-secret: Refused: the app may not call model-only-secret');
  await expect(refused).toContainText('ui/open-link: Refusing to open the link this app asked for: the "javascript:" scheme is not allowed');

  // size-changed is bounded: the frame claimed 100,000 px.
  await expect.poll(async () => (await panel.locator('iframe').boundingBox())?.height).toBe(1600);

  // The top frame is still Switchboard, and nothing reached the undeclared origin.
  expect(page.url()).toBe(appUrl);
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible();
  expect(probe.hits).toEqual([]);
  expect(app_pages(page)).toBe(1);

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' }).getByRole('list', { name: 'History records' });
  await expect(history.getByRole('button', { name: /^model-only-secret on Hostile by App ui:\/\/apps\/hostile, error/ })).toBeVisible();
  await expect(history.getByRole('button', { name: /^ui\/open-link on Hostile by App ui:\/\/apps\/hostile, error/ })).toBeVisible();
});

/** No page was opened beside the app (no popup, no browser tab for a link). */
function app_pages(page: import('@playwright/test').Page): number {
  return page.context().pages().length;
}
