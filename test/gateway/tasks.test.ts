import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';
import { connectV2 } from '../helpers/gateway';

// A tool call that becomes a task upstream is answered plainly through the
// gateway: the gateway waits for the task and returns its result; a
// downstream cancellation cancels the task.

const TASKS_SERVER = join(import.meta.dirname, '../fixtures/servers/tasks-server.mjs');
const track = useCleanup();

async function gatewayTo(era: '2025' | '2026'): Promise<{ t: TestCore; url: URL; token: string; serverId: string }> {
  const t = track(startTestCore());
  const { server } = await t.call('addServer', {
    config: { transport: 'stdio', name: 'Tasks', command: process.execPath, args: [TASKS_SERVER, `era=${era}`, 'poll=50'] },
  });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  const view = await t.call('setGatewayEnabled', { enabled: true });
  const { token } = await t.call('createGatewayClient', {
    name: 'Task Client',
    servers: [{ serverId: server.id, allow: [], deny: [], hideDestructive: false }],
  });
  return { t, url: new URL(`${view.address}/s/${server.id}/mcp`), token, serverId: server.id };
}

describe('gateway: a call that becomes a task upstream', () => {
  it('returns the task result plainly (2026-07-28 upstream decides on a task)', async () => {
    const g = await gatewayTo('2026');
    const client = track(await connectV2(g.url, g.token));
    const result = await client.callTool({ name: 'quick_task', arguments: { label: 'via gateway' } });
    expect(result.content).toEqual([{ type: 'text', text: 'quick done: via gateway' }]);
    expect(g.t.core.gateway.view().clients[0]!.lastCall).toMatchObject({ tool: 'quick_task' });
  });

  it('a downstream cancellation cancels the task upstream (2025-11-25 task)', async () => {
    const g = await gatewayTo('2025');
    const client = track(await connectV2(g.url, g.token));
    const controller = new AbortController();
    const call = client.callTool({ name: 'endless_task', arguments: {} }, { signal: controller.signal });
    const created = await g.t.waitForEvent('taskChanged', (p) => p.task.serverId === g.serverId && p.task.tool === 'endless_task');
    controller.abort('stop');
    await expect(call).rejects.toThrow();
    await g.t.waitForEvent('taskChanged', (p) => p.task.taskId === created.task.taskId && p.task.status === 'cancelled', 10_000);
  });
});
