import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfStore } from '../node-ports/conf-store';
import { useCleanup } from '../../../test/helpers/cleanup';
import { MAX_TASKS_PER_SERVER, TaskStore } from './task-store';
import type { StoredTask } from './task-store';

const track = useCleanup();
const HOUR = 3600_000;

const task = (taskId: string, over: Partial<StoredTask> = {}): StoredTask => ({
  taskId,
  shape: '2025-11-25',
  tool: 't',
  status: 'working',
  createdAt: 1_000_000,
  updatedAt: 1_000_000,
  pollIntervalMs: 1000,
  ...over,
});

describe('TaskStore', () => {
  it('keeps tasks per server, bounded, newest first; prunes past their TTL and ended ones after a day', () => {
    let now = 1_000_000;
    const store = createConfStore(track.tempDir());
    const tasks = new TaskStore(store, () => now);
    tasks.save('s1', [
      ...Array.from({ length: MAX_TASKS_PER_SERVER + 10 }, (_, i) => task(`t${i}`, { createdAt: now - i })),
      task('short', { ttlMs: 10 * 60_000, createdAt: now + 1 }),
      task('ended', { status: 'completed', createdAt: now + 2, updatedAt: now }),
    ]);
    expect(tasks.load('s1')).toHaveLength(MAX_TASKS_PER_SERVER);
    expect(tasks.load('s1')[0]!.taskId).toBe('ended');
    expect(tasks.load('s2')).toEqual([]);
    now += 11 * 60_000;
    expect(tasks.load('s1').map((t) => t.taskId)).not.toContain('short');
    now += 25 * HOUR;
    expect(tasks.load('s1').map((t) => t.taskId)).not.toContain('ended');
    now += 8 * 24 * HOUR;
    expect(tasks.load('s1')).toEqual([]);
  });

  it('reads a hand-edited file entry by entry: a bad entry is skipped, the others stay', () => {
    const dir = track.tempDir();
    const store = createConfStore(dir);
    store.set('tasks.byServer', { s1: [{ taskId: 'x'.repeat(5000) }, task('good'), 'junk', { ...task('bad'), status: 'exploded' }], s2: 'not a list' });
    const tasks = new TaskStore(createConfStore(join(dir)), () => 1_000_000);
    expect(tasks.load('s1').map((t) => t.taskId)).toEqual(['good']);
    expect(tasks.load('s2')).toEqual([]);
  });
});
