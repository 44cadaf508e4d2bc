// Tasks through the real core against a stdio fixture that speaks either shape:
// the 2025-11-25 tasks utility and the 2026-07-28 io.modelcontextprotocol/tasks extension.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/contract';
import { MAX_POLL_MS, MIN_POLL_MS } from '../../electron/core/tasks';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';

const TASKS_SERVER = join(import.meta.dirname, '../fixtures/servers/tasks-server.mjs');
const track = useCleanup();

async function connected(t: TestCore, args: string[]): Promise<string> {
  const { server } = await t.call('addServer', { config: { transport: 'stdio', name: 'Tasks', command: process.execPath, args: [TASKS_SERVER, ...args] } });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server.id;
}

const ended = (t: TestCore, taskId: string, status = 'completed') =>
  t.waitForEvent('taskChanged', (p) => p.task.taskId === taskId && p.task.status === status && (status !== 'completed' || p.task.result !== undefined), 15_000);

for (const era of ['2025', '2026'] as const) {
  describe(`tasks, the ${era === '2025' ? '2025-11-25 utility' : '2026-07-28 extension'}`, () => {
    it('runs a task to completion: polled, the result fetched, a history record linked to the creating call', async () => {
      const t = track(startTestCore());
      const id = await connected(t, [`era=${era}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'quick_task', arguments: { label: 'first' }, callId: 'q1', asTask: true });
      expect(call.status).toBe('task');
      const taskId = call.task!.taskId;
      const done = await ended(t, taskId);
      expect(done.task.shape).toBe(era === '2025' ? '2025-11-25' : '2026-07-28');
      expect(JSON.stringify(done.task.result)).toContain('quick done: first');
      expect(done.task.createdBy).toBe(call.historyId);
      // Polled at least three times, with statusMessage on the way.
      expect(t.events.some((e) => e.name === 'taskChanged' && (e.payload as { task: TaskView }).task.statusMessage?.startsWith('poll '))).toBe(true);
      const { record } = await t.call('getHistoryRecord', { id: done.task.historyId! });
      expect(record).toMatchObject({ tool: 'quick_task', status: 'ok', task: { taskId, createdBy: call.historyId } });
      const creator = await t.call('getHistoryRecord', { id: call.historyId! });
      expect(creator.record.status).toBe('task');
      expect((await t.call('listTasks', { serverId: id })).tasks[0]).toMatchObject({ taskId, status: 'completed' });
    });

    it('cancels a task that runs until cancelled, and records it as cancelled', async () => {
      const t = track(startTestCore());
      const id = await connected(t, [`era=${era}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'endless_task', arguments: {}, callId: 'e1' });
      expect(call.status).toBe('task');
      const taskId = call.task!.taskId;
      await t.waitForEvent('taskChanged', (p) => p.task.taskId === taskId && (p.task.statusMessage ?? '').startsWith('still running'));
      await t.call('cancelTask', { serverId: id, taskId });
      const done = await ended(t, taskId, 'cancelled');
      const { record } = await t.call('getHistoryRecord', { id: done.task.historyId! });
      expect(record).toMatchObject({ status: 'cancelled', task: { taskId } });
    });

    it('answers input_required in the ordinary elicitation dialog, then the task completes', async () => {
      const t = track(startTestCore());
      const id = await connected(t, [`era=${era}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'ask_task', arguments: {}, callId: 'a1' });
      const taskId = call.task!.taskId;
      const request = await t.waitForEvent('clientRequest', (p) => p.serverId === id && p.kind === 'elicitation');
      expect(request.message).toBe('What is your name?');
      await t.call('answerElicitation', { requestId: request.requestId, action: 'accept', content: { name: 'Ada' } });
      const done = await ended(t, taskId);
      expect(JSON.stringify(done.task.result)).toContain('hello Ada');
    });

    it('resumes polling after a reconnect', async () => {
      const t = track(startTestCore());
      const state = join(track.tempDir(), 'tasks.json');
      const id = await connected(t, [`era=${era}`, 'polls=4', 'poll=300', `state=${state}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'quick_task', arguments: { label: 'again' }, callId: 'r1', asTask: true });
      const taskId = call.task!.taskId;
      await t.call('disconnectServer', { serverId: id });
      expect((await t.call('listTasks', { serverId: id })).tasks[0]).toMatchObject({ taskId, status: 'working' });
      await t.call('connectServer', { serverId: id });
      const done = await ended(t, taskId);
      expect(JSON.stringify(done.task.result)).toContain('quick done: again');
    });

    it('resumes polling after a core restart with the same data dir', async () => {
      const dataDir = track.tempDir();
      const state = join(track.tempDir(), 'tasks.json');
      const first = startTestCore({ dataDir });
      const id = await connected(first, [`era=${era}`, 'polls=4', 'poll=300', `state=${state}`]);
      const call = await first.call('callTool', { serverId: id, tool: 'quick_task', arguments: { label: 'restart' }, callId: 'k1', asTask: true });
      const taskId = call.task!.taskId;
      await first.close();

      const t = track(startTestCore({ dataDir }));
      expect((await t.call('listTasks', { serverId: id })).tasks).toMatchObject([{ taskId, status: 'working', createdBy: call.historyId }]);
      await t.call('connectServer', { serverId: id });
      const done = await ended(t, taskId);
      expect(JSON.stringify(done.task.result)).toContain('quick done: restart');
      const { record } = await t.call('getHistoryRecord', { id: done.task.historyId! });
      expect(record.task).toEqual({ taskId, createdBy: call.historyId });
    });

    it('never task-augments a tool that forbids tasks', async () => {
      const t = track(startTestCore());
      const id = await connected(t, [`era=${era}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'plain', arguments: {}, callId: 'p1', asTask: true });
      expect(call.status).toBe('ok');
      expect(call.task).toBeUndefined();
      const { entries } = await t.call('listTraffic', { serverId: id, method: 'tools/call' });
      expect(JSON.stringify(entries)).not.toContain('"task":{');
      if (era === '2025') {
        // Optional: a task only when asked for.
        const direct = await t.call('callTool', { serverId: id, tool: 'quick_task', arguments: { label: 'now' }, callId: 'p2' });
        expect(direct.status).toBe('ok');
        expect(JSON.stringify(direct.result)).toContain('quick done at once: now');
      }
    });
  });
}

describe('tasks: 2025-11-25 status notifications', () => {
  it('a status notification brings the result without waiting for the next poll', async () => {
    const t = track(startTestCore());
    // The server suggests polling once a day (clamped to a minute); it completes the task after 300 ms and says so.
    const id = await connected(t, ['era=2025', 'poll=86400000', 'push=300']);
    const call = await t.call('callTool', { serverId: id, tool: 'quick_task', arguments: { label: 'pushed' }, callId: 'n1', asTask: true });
    const done = await t.waitForEvent('taskChanged', (p) => p.task.taskId === call.task!.taskId && p.task.result !== undefined, 10_000);
    expect(done.task.statusMessage).toBe('done on its own');
    expect(JSON.stringify(done.task.result)).toContain('quick done: pushed');
  });
});

describe('tasks: bounds', () => {
  it('clamps a hostile pollInterval', async () => {
    for (const [poll, expected] of [
      ['0', MIN_POLL_MS],
      ['-5', MIN_POLL_MS],
      ['1000000000000', MAX_POLL_MS],
    ] as const) {
      const t = track(startTestCore());
      const id = await connected(t, ['era=2025', `poll=${poll}`]);
      const call = await t.call('callTool', { serverId: id, tool: 'endless_task', arguments: {}, callId: `h${poll}` });
      const { tasks } = await t.call('listTasks', { serverId: id });
      expect(tasks.find((x) => x.taskId === call.task!.taskId)?.pollIntervalMs).toBe(expected);
      if (poll === '0') {
        // A second of polling at the floor: a handful of tasks/get, not thousands.
        await new Promise((r) => setTimeout(r, 1000));
        const { entries } = await t.call('listTraffic', { serverId: id, method: 'tasks/get' });
        const sent = entries.filter((e) => e.kind === 'jsonrpc' && e.direction === 'out').length;
        expect(sent).toBeGreaterThan(1);
        expect(sent).toBeLessThanOrEqual(1000 / MIN_POLL_MS + 2);
      }
    }
  });
});
