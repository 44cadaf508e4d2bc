import { join } from 'node:path';
import { expect, test } from './fixtures';
import { connectServer, openTool, ROOT } from './helpers';
import { expectNoSeriousAxe } from './a11y';

// URL-mode elicitation through the GUI against an SDK server on the 2025-11-25 wire
// (elicitationId, notifications/elicitation/complete, -32042). The "system browser" is the
// harness's: each URL the app opens becomes a new page in the test's browser context, which
// loads the fixture's own 127.0.0.1 page (that visit is what makes the server report completion).

const URL_SERVER = join(ROOT, 'test/fixtures/servers/url-elicitation.mjs');

test('consent to a URL elicitation: nothing opens before it; then the page opens and the server confirms completion', async ({ app }) => {
  const { page, context } = app;
  const detail = await connectServer(page, 'URL visits', [URL_SERVER, '--legacy']);
  const tool = await openTool(detail, 'visit');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const dialog = page.getByRole('dialog', { name: 'URL visits asks you to open a web page' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('url-origin')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(dialog.getByTestId('url-message')).toHaveText('Sign in to the example service to continue.');
  await expect(dialog.getByTestId('url-full')).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/visit\/[\w-]+$/);
  await expectNoSeriousAxe(page, 'URL elicitation dialog');
  expect(context.pages()).toHaveLength(1); // nothing opened before consent
  await page.screenshot({ path: 'test-results/url-elicitation.png' });
  const shownUrl = await dialog.getByTestId('url-full').textContent();

  const [tab] = await Promise.all([context.waitForEvent('page'), dialog.getByRole('button', { name: 'Open in browser' }).click()]);
  await expect.poll(() => tab.url()).toBe(shownUrl); // exactly what the dialog showed
  const opened = page.getByRole('dialog', { name: 'URL visits: page opened in your browser' });
  await expect(opened.getByTestId('url-elicitation-state')).toContainText('Completed');
  await opened.getByRole('button', { name: 'Done' }).click();
  await expect(opened).toBeHidden();
  const result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  await expect(result).toContainText('action: accept');
});

test('decline a URL elicitation: nothing opens and the server hears decline', async ({ app }) => {
  const { page, context } = app;
  const detail = await connectServer(page, 'URL visits', [URL_SERVER, '--legacy']);
  const tool = await openTool(detail, 'visit');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const dialog = page.getByRole('dialog', { name: 'URL visits asks you to open a web page' });
  await dialog.getByRole('button', { name: 'Decline' }).click();
  await expect(dialog).toBeHidden();
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('action: decline');
  expect(context.pages()).toHaveLength(1);
});

test('a -32042 error: the same consent, then one button retries the call', async ({ app }) => {
  const { page, context } = app;
  const detail = await connectServer(page, 'URL visits', [URL_SERVER, '--legacy']);
  const tool = await openTool(detail, 'needs-visit');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByRole('alert')).toContainText('-32042');
  const dialog = page.getByRole('dialog', { name: 'URL visits asks you to open a web page' });
  await expect(dialog.getByTestId('url-message')).toHaveText('Authorize access to your files first.');
  await Promise.all([context.waitForEvent('page'), dialog.getByRole('button', { name: 'Open in browser' }).click()]);
  const opened = page.getByRole('dialog', { name: 'URL visits: page opened in your browser' });
  await expect(opened.getByTestId('url-elicitation-state')).toContainText('Completed');
  await opened.getByRole('button', { name: 'Done' }).click();
  await result.getByRole('button', { name: 'Retry the call' }).click();
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  await expect(result).toContainText('visited');
});
