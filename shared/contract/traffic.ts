import { z } from 'zod';
import { event, method } from './define';
import { Json } from './json';
import { ServerId } from './servers';

// Every JSON-RPC message and HTTP exchange with a server, redacted, per server.

const trafficBase = { seq: z.number().int(), serverId: z.string(), ts: z.number() };
export const TrafficEntryView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('jsonrpc'),
    ...trafficBase,
    direction: z.enum(['out', 'in']),
    message: Json,
    method: z.string().optional(),
    id: z.union([z.string(), z.number()]).optional(),
    pairedSeq: z.number().int().optional(),
    latencyMs: z.number().optional(),
  }),
  z.object({
    kind: z.literal('http'),
    ...trafficBase,
    method: z.string(),
    url: z.string(),
    status: z.number().int(),
    durationMs: z.number(),
    phase: z.string(),
    requestHeaders: z.record(z.string(), z.string()),
    responseHeaders: z.record(z.string(), z.string()),
    requestBody: z.string().optional(),
    responseBody: z.string().optional(),
    error: z.string().optional(),
  }),
]);
export type TrafficEntryView = z.infer<typeof TrafficEntryView>;

export const trafficMethods = {
  listTraffic: method(
    z.object({
      serverId: ServerId,
      afterSeq: z.number().int().optional(),
      method: z.string().max(200).optional(),
      direction: z.enum(['in', 'out']).optional(),
      limit: z.number().int().min(1).max(5000).default(2000),
    }),
    z.object({ entries: z.array(TrafficEntryView) }),
  ),
};

export const trafficEvents = {
  /** Throttled: new traffic for these servers (fetch with listTraffic afterSeq). */
  trafficAppended: event(z.object({ servers: z.array(z.object({ serverId: z.string(), lastSeq: z.number().int() })) })),
};
