import { z } from 'zod';
import { CallStatus, HistorySummaryView } from '../../../shared/contract';

// One tool call as the history keeps it (arguments/result already redacted),
// and the light summary the list view gets.

// Statuses and summaries are what the renderer gets: the contract defines them once.
export const HistoryStatus = CallStatus;
export type HistoryStatus = z.infer<typeof HistoryStatus>;

export const HistoryErrorSchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string(),
});

export const HistoryRecordSchema = z.object({
  id: z.string().min(1),
  serverId: z.string(),
  serverName: z.string(),
  tool: z.string(),
  arguments: z.unknown(),
  /** The CallToolResult; for 'tool-error' it has `isError: true`. */
  result: z.unknown().optional(),
  /** Protocol/transport failure, cancellation or timeout. */
  error: HistoryErrorSchema.optional(),
  status: HistoryStatus,
  /** Epoch milliseconds. */
  startedAt: z.number(),
  durationMs: z.number().nonnegative(),
  /** A task's record: the task id and the record of the call that created it. */
  task: z.object({ taskId: z.string(), createdBy: z.string().optional() }).optional(),
});
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;

/** What callers pass to `append`: the id is generated when omitted. */
export type HistoryRecordInput = Omit<HistoryRecord, 'id'> & { id?: string };

export const HistorySummarySchema = HistorySummaryView;
export type HistorySummary = z.infer<typeof HistorySummarySchema>;

export const HistoryQuerySchema = z.object({
  /** Case-insensitive substring of tool, server name, arguments and result/error text. */
  text: z.string().max(1000).optional(),
  serverId: z.string().optional(),
  tool: z.string().optional(),
  status: HistoryStatus.optional(),
  limit: z.number().int().min(0).max(10_000).optional(),
  offset: z.number().int().min(0).optional(),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export interface HistoryPage {
  /** Matches before limit/offset. */
  total: number;
  /** Newest first. */
  records: HistorySummary[];
}

export interface HistoryFacets {
  servers: Array<{ id: string; name: string; count: number }>;
  tools: Array<{ name: string; count: number }>;
  statuses: Array<{ status: HistoryStatus; count: number }>;
}

const STATUSES = new Set<string>(HistoryStatus.options);

/**
 * A cheap structural check for the load and append paths (zod costs several
 * microseconds per record, which adds up over 100k lines on restart).
 */
export function isHistoryRecord(value: unknown): value is HistoryRecord {
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id.length === 0 || typeof r.serverId !== 'string' || typeof r.serverName !== 'string' || typeof r.tool !== 'string')
    return false;
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) return false;
  if (typeof r.startedAt !== 'number' || !Number.isFinite(r.startedAt) || typeof r.durationMs !== 'number' || !(r.durationMs >= 0)) return false;
  if (r.error !== undefined) {
    const e = r.error as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || typeof e.message !== 'string') return false;
    if (e.code !== undefined && typeof e.code !== 'number' && typeof e.code !== 'string') return false;
  }
  return true;
}
