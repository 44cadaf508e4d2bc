import { join } from 'node:path';
import { expect, test } from './fixtures';
import { connectServer, openTool, ROOT } from './helpers';

// Tasks through the GUI against the tasks fixture: one run to completion with
// its result and history record (2025-11-25 shape, "Run as task"), and one
// cancelled (2026-07-28 extension: the server decides).

const TASKS_SERVER = join(ROOT, 'test/fixtures/servers/tasks-server.mjs');

test('run a task to completion: result and history record', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Tasks 2025', [TASKS_SERVER, 'era=2025', 'poll=300']);
  const tool = await openTool(detail, 'quick_task');
  await tool.getByLabel('label').fill('from the gui');
  await tool.getByRole('checkbox', { name: 'Run as task' }).check();
  await tool.getByRole('button', { name: 'Run tool' }).click();
  const result = tool.getByRole('region', { name: 'Result' });
  await expect(result.getByTestId('call-status')).toHaveText('Running as a task');

  await detail.getByRole('tab', { name: 'Tasks' }).click();
  const item = detail.getByRole('list', { name: 'Task list' }).getByRole('listitem').first();
  await expect(item.getByTestId('task-status')).toHaveText('Completed', { timeout: 15_000 });
  await expect(item.getByRole('region', { name: 'Task result' })).toContainText('quick done: from the gui');
  await item.getByRole('button', { name: 'Show history record' }).click();
  const record = item.getByRole('region', { name: 'History record' });
  await expect(record.getByTestId('task-record-status')).toHaveText('ok');
  await expect(record).toContainText('created by the call recorded as');

  // The history view has both: the call that created the task and the task's own record.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('status', { name: 'Matching records' })).toHaveText('2 records');
  await history
    .getByRole('list', { name: 'History records' })
    .getByRole('button', { name: /^quick_task on Tasks 2025, ok/ })
    .click();
  await expect(history.getByTestId('record-task')).toContainText('created by the call recorded as');
});

test('cancel a task that runs until cancelled', async ({ app }) => {
  const { page } = app;
  const detail = await connectServer(page, 'Tasks 2026', [TASKS_SERVER, 'era=2026', 'poll=300']);
  const tool = await openTool(detail, 'endless_task');
  // No "Run as task" on 2026-07-28: the server decides, and this tool always answers with a task.
  await expect(tool.getByRole('checkbox', { name: 'Run as task' })).toHaveCount(0);
  await tool.getByRole('button', { name: 'Run tool' }).click();
  await expect(tool.getByRole('region', { name: 'Result' }).getByTestId('call-status')).toHaveText('Running as a task');

  await detail.getByRole('tab', { name: 'Tasks' }).click();
  const item = detail.getByRole('list', { name: 'Task list' }).getByRole('listitem').first();
  await expect(item.getByTestId('task-message')).toContainText('still running');
  await expect(item).toContainText('tasks extension (2026-07-28)');
  await item.getByRole('button', { name: 'Cancel task' }).click();
  await expect(item.getByTestId('task-status')).toHaveText('Cancelled', { timeout: 15_000 });
  await item.getByRole('button', { name: 'Show history record' }).click();
  await expect(item.getByRole('region', { name: 'History record' }).getByTestId('task-record-status')).toHaveText('cancelled');
  await page.screenshot({ path: 'test-results/tasks.png' });
});
