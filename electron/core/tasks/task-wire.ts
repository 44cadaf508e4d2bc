import type { TaskStatus } from '../../../shared/contract';

// The bounds and wire helpers of the tasks feature: everything here reads
// server-supplied values, so each is clamped or capped.

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const MIN_POLL_MS = 250;
export const MAX_POLL_MS = 60_000;
export const DEFAULT_POLL_MS = 2_000;
export const DEFAULT_TTL_MS = 3_600_000;
export const MAX_STORED_ARGS_CHARS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** tasks/result may block until the task ends: one long wait, re-sent if it times out. */
export const RESULT_TIMEOUT_MS = 10 * 60_000;

export type Wire = Record<string, unknown>;
export const TERMINAL = new Set<TaskStatus>(['completed', 'failed', 'cancelled']);
export const STATUSES = new Set<string>(['working', 'input_required', 'completed', 'failed', 'cancelled']);

/** The server's suggestion, bounded: a hostile 0 or 1e12 must neither spin nor stall. */
export function clampPoll(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(value))) : DEFAULT_POLL_MS;
}

export const str = (v: unknown, max = 2000): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);

export function wireError(e: Wire): { code?: number | string; message: string } {
  const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
  return { ...(code !== undefined ? { code } : {}), message: str(e.message) ?? 'The task failed.' };
}

export function safeSize(value: unknown): unknown {
  try {
    return JSON.stringify(value).length <= MAX_STORED_ARGS_CHARS ? value : undefined;
  } catch {
    return undefined;
  }
}
