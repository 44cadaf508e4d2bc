import { z } from 'zod';
import { event, method } from './define';
import { Json } from './json';
import { CallStatus } from './tools';

// Every tool call, kept on disk: search, facets, one record, export.

export const HistorySummaryView = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  tool: z.string(),
  status: CallStatus,
  startedAt: z.number(),
  durationMs: z.number(),
  argumentsPreview: z.string(),
  resultPreview: z.string().optional(),
  errorMessage: z.string().optional(),
  task: z.object({ taskId: z.string(), createdBy: z.string().optional() }).optional(),
});
export type HistorySummaryView = z.infer<typeof HistorySummaryView>;

export const HistoryRecordView = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  tool: z.string(),
  arguments: Json,
  result: Json.optional(),
  error: z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string() }).optional(),
  status: CallStatus,
  startedAt: z.number(),
  durationMs: z.number(),
  /** A task's record: its id and the record of the call that created it. */
  task: z.object({ taskId: z.string(), createdBy: z.string().optional() }).optional(),
});
export type HistoryRecordView = z.infer<typeof HistoryRecordView>;

export const HistoryQueryRequest = z.object({
  text: z.string().max(1000).optional(),
  serverId: z.string().max(64).optional(),
  tool: z.string().max(1000).optional(),
  status: CallStatus.optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type HistoryQueryRequest = z.input<typeof HistoryQueryRequest>;

export const HistoryFacetsView = z.object({
  servers: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
  tools: z.array(z.object({ name: z.string(), count: z.number() })),
  statuses: z.array(z.object({ status: CallStatus, count: z.number() })),
});
export type HistoryFacetsView = z.infer<typeof HistoryFacetsView>;

export const historyMethods = {
  queryHistory: method(HistoryQueryRequest, z.object({ total: z.number(), records: z.array(HistorySummaryView) })),
  getHistoryRecord: method(z.object({ id: z.string().max(200) }), z.object({ record: HistoryRecordView })),
  historyFacets: method(z.object({}), HistoryFacetsView),
  exportHistory: method(z.object({}), z.object({ json: z.string(), count: z.number() })),
};

export const historyEvents = {
  /** Throttled: new history records exist (fetch with queryHistory). */
  historyAppended: event(z.object({ count: z.number().int(), total: z.number().int() })),
};
