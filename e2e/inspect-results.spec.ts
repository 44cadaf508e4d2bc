import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { connectServer, EVERYTHING_SERVER, openTool, TOOL_CHANGER } from './helpers';
import { expectNoSeriousAxe } from './a11y';

// Result rendering (tool errors, schema mismatches, hostile content, images),
// sampling, logging, resource subscriptions and history export.

test('tool errors, output-schema mismatches and hostile content are shown as such', async ({ app, tempDir }) => {
  const spec = join(tempDir('results'), 'tools.json');
  writeFileSync(
    spec,
    JSON.stringify({
      tools: [
        { name: 'fails', description: 'Always fails', result: { content: [{ type: 'text', text: 'disk on fire' }], isError: true } },
        {
          name: 'weather',
          description: 'Claims an output schema, breaks it',
          outputSchema: { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'] },
          result: { content: [{ type: 'text', text: '{}' }], structuredContent: { temperature: 'hot' } },
        },
        {
          name: 'hostile',
          description: 'Markup and a fake image',
          result: {
            content: [
              { type: 'text', text: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' },
              { type: 'image', mimeType: 'text/html', data: 'PGgxPmhpPC9oMT4=' },
              { type: 'resource_link', uri: 'javascript:alert(1)', name: 'link' },
            ],
          },
        },
      ],
    }),
  );
  const { page } = app;
  const detail = await connectServer(page, 'Results', [TOOL_CHANGER, spec]);

  let tool = await openTool(detail, 'fails');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  let result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Tool reported an error');
  await expect(result).toContainText('disk on fire');

  tool = await openTool(detail, 'weather');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  const structured = result.getByRole('region', { name: 'Structured content' });
  await expect(structured.getByRole('alert')).toContainText('Does not match the output schema');
  await expect(structured.getByRole('alert')).toContainText('temperature: must be number');

  tool = await openTool(detail, 'hostile');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  result = tool.getByRole('region', { name: 'Result' });
  await expect(result).toContainText('<script>window.__pwned=2</script>');
  await expect(result).toContainText('An image block with an unsupported type or invalid data was not shown.');
  expect(await result.locator('img, script, a').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // The history keeps the statuses apart.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await history.getByLabel('Filter by status').selectOption('tool-error');
  await expect(history.getByRole('status', { name: 'Matching records' })).toHaveText('1 record');
});

test('schemas with a catastrophic or an unsupported pattern: the app stays responsive and shows the verdict', async ({ app, tempDir }) => {
  const dir = tempDir('redos');
  const spec = join(dir, 'tools.json');
  const evil = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } }, required: ['s'] };
  const backref = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)\\1$' } } };
  writeFileSync(
    spec,
    JSON.stringify({
      tools: [
        {
          name: 'evil',
          description: 'ReDoS pattern',
          inputSchema: evil,
          outputSchema: evil,
          result: { content: [{ type: 'text', text: 'evil done' }], structuredContent: { s: `${'a'.repeat(5000)}!` } },
        },
        {
          name: 'backref',
          description: 'Unsupported pattern',
          inputSchema: backref,
          outputSchema: backref,
          result: { content: [{ type: 'text', text: 'backref done' }], structuredContent: { s: 'aa' } },
        },
      ],
    }),
  );
  const { page } = app;
  const detail = await connectServer(page, 'Patterns', [TOOL_CHANGER, spec]);

  let tool = await openTool(detail, 'evil');
  await tool.getByRole('textbox', { name: 's', exact: true }).fill('aaa');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  let result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  await expect(result).toContainText('evil done');
  await expect(result.getByRole('region', { name: 'Structured content' }).getByRole('alert')).toContainText('s: must match pattern');

  tool = await openTool(detail, 'backref');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Succeeded');
  await expect(result).toContainText('backref done');
  await expect(result.getByTestId('schema-unchecked').first()).toContainText('cannot be checked safely');
  await expect(result.getByRole('region', { name: 'Structured content' })).toContainText('Matches the parts of the output schema that could be checked.');
});

test('an image result, a sampling request answered by the user, logging and history export', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Everything', [EVERYTHING_SERVER, 'stdio']);

  let tool = await openTool(detail, 'get-tiny-image');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const image = tool.getByRole('region', { name: 'Result' }).getByRole('img', { name: 'Image (image/png) from the server' });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  tool = await openTool(detail, 'trigger-sampling-request');
  await tool.getByLabel('prompt').fill('Say hi');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const dialog = page.getByRole('dialog', { name: 'Everything asks for a model reply' });
  await expect(dialog.getByRole('list', { name: 'Conversation' })).toContainText('Say hi');
  await expectNoSeriousAxe(page, 'sampling dialog');
  await dialog.getByRole('button', { name: 'Send reply' }).click();
  await expect(dialog.getByText('Write a reply or decline.')).toBeVisible();
  await dialog.getByLabel('Reply').fill('Hi from a human');
  await dialog.getByRole('button', { name: 'Send reply' }).click();
  await expect(dialog).toBeHidden();
  await expect(tool.getByRole('region', { name: 'Result' })).toContainText('Hi from a human');

  await detail.getByRole('tab', { name: 'Logs', exact: true }).click();
  await detail.getByRole('radio', { name: 'Server notifications' }).check();
  await detail.getByLabel('Log level').selectOption('debug');
  await detail.getByRole('button', { name: 'Set log level' }).click();
  tool = await openTool(detail, 'toggle-simulated-logging');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  await expect(tool.getByRole('region', { name: 'Result' }).getByTestId('call-status')).toHaveText('Succeeded');
  await detail.getByRole('tab', { name: 'Logs', exact: true }).click();
  await detail.getByRole('radio', { name: 'Server notifications' }).check();
  await expect(
    detail
      .getByRole('log', { name: 'Notifications from the server' })
      .getByRole('listitem')
      .filter({ hasText: /debug|info|notice|warning|error|critical|alert|emergency/ })
      .first(),
  ).toBeVisible({ timeout: 20_000 });

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('status', { name: 'Matching records' })).toHaveText('3 records');
  const download = page.waitForEvent('download');
  await history.getByRole('button', { name: 'Export JSON' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { tool: string }[];
  expect(exported.map((r) => r.tool)).toEqual(['get-tiny-image', 'trigger-sampling-request', 'toggle-simulated-logging']);
});

test('subscribing to a resource shows its update notifications', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Everything', [EVERYTHING_SERVER, 'stdio']);
  await detail.getByRole('tab', { name: 'Resources' }).click();
  const first = detail.getByRole('listbox', { name: 'Resources' }).getByRole('option').first();
  await first.click();
  const header = detail.getByRole('region', { name: /^About / }).first();
  await header.getByRole('button', { name: /^Subscribe to/ }).click();
  await expect(header.getByRole('button', { name: /^Unsubscribe from/ })).toBeVisible();
  await expect(first).toContainText('subscribed');
  const tool = await openTool(detail, 'toggle-subscriber-updates');
  await tool.getByRole('button', { name: 'Run tool' }).click();
  await expect(tool.getByRole('region', { name: 'Result' }).getByTestId('call-status')).toHaveText('Succeeded');
  await detail.getByRole('tab', { name: 'Resources' }).click();
  // The tab remembers nothing of the pick, so choose the resource again: its header says when it changed.
  await detail.getByRole('listbox', { name: 'Resources' }).getByRole('option').first().click();
  await expect(
    detail
      .getByRole('region', { name: /^About / })
      .first()
      .getByRole('status'),
  ).toContainText('updated', { timeout: 20_000 });
  await expect(detail.getByRole('listbox', { name: 'Resources' }).getByRole('option').first()).toContainText('updated');
});
