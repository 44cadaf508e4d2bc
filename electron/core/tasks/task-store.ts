import { z } from 'zod';
import { TaskShape, TaskStatus } from '../../../shared/contract';
import type { KeyValueStore } from '../ports';
import { settingsKey } from '../settings';

// The tasks each server is running for us, kept in the settings file so they
// survive a reconnect and an app restart. The file is hostile input: each
// entry is checked on its own, the count per server is bounded, and entries
// past their TTL (or a week old, when the server gave none) are pruned.

export const MAX_TASKS_PER_SERVER = 50;
const MAX_AGE_MS = 7 * 24 * 3600_000;
/** Ended tasks stay listed this long (the history record keeps them for good). */
const ENDED_KEEP_MS = 24 * 3600_000;

export const StoredTask = z.object({
  taskId: z.string().min(1).max(200),
  shape: TaskShape,
  tool: z.string().max(1000),
  status: TaskStatus,
  statusMessage: z.string().max(2000).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  pollIntervalMs: z.number(),
  ttlMs: z.number().nullable().optional(),
  createdBy: z.string().max(100).optional(),
  historyId: z.string().max(100).optional(),
  /** The call's arguments for the task's history record (only when small). */
  arguments: z.unknown().optional(),
});
export type StoredTask = z.infer<typeof StoredTask>;

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export class TaskStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number,
  ) {}

  private get key() {
    return settingsKey(this.store, 'tasks.byServer');
  }

  load(serverId: string): StoredTask[] {
    const raw = this.key.read()[serverId];
    if (!Array.isArray(raw)) return [];
    const out: StoredTask[] = [];
    for (const entry of raw.slice(0, MAX_TASKS_PER_SERVER)) {
      const parsed = StoredTask.safeParse(entry);
      if (parsed.success && this.alive(parsed.data)) out.push(parsed.data);
    }
    return out;
  }

  save(serverId: string, tasks: StoredTask[]): void {
    const kept = tasks
      .filter((t) => this.alive(t))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, MAX_TASKS_PER_SERVER);
    const all = { ...this.key.read() };
    if (kept.length) all[serverId] = kept;
    else delete all[serverId];
    this.key.write(all);
  }

  forget(serverId: string): void {
    this.save(serverId, []);
  }

  private alive(t: StoredTask): boolean {
    const now = this.now();
    if (TERMINAL.has(t.status)) return now - t.updatedAt < ENDED_KEEP_MS;
    const ttl = typeof t.ttlMs === 'number' && t.ttlMs > 0 ? Math.min(t.ttlMs, MAX_AGE_MS) : MAX_AGE_MS;
    return now - t.createdAt < ttl;
  }
}
