import { z } from 'zod';

// One recorded piece of protocol traffic: a JSON-RPC message or an HTTP
// exchange. Everything in an entry is already redacted.

export const TrafficDirection = z.enum(['out', 'in']);
export type TrafficDirection = z.infer<typeof TrafficDirection>;

export const HttpPhaseSchema = z.enum(['discovery', 'registration', 'token', 'revocation', 'mcp', 'gateway', 'other']);

const base = {
  /** Increases across all servers of one recorder; entries sort by it. */
  seq: z.number().int().nonnegative(),
  serverId: z.string(),
  /** Wall-clock milliseconds (fractional: latency is computed from it). */
  ts: z.number(),
};

export const JsonRpcEntrySchema = z.object({
  kind: z.literal('jsonrpc'),
  ...base,
  direction: TrafficDirection,
  message: z.unknown(),
  /** The request's method; on a response, the method of the request it answers. */
  method: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  /** Request ↔ response link: the seq of the other half. */
  pairedSeq: z.number().int().optional(),
  /** On a response: time since its request. */
  latencyMs: z.number().optional(),
});
export type JsonRpcEntry = z.infer<typeof JsonRpcEntrySchema>;

export const HttpEntrySchema = z.object({
  kind: z.literal('http'),
  ...base,
  method: z.string(),
  url: z.string(),
  /** 0 when no response arrived (network error). */
  status: z.number().int(),
  durationMs: z.number(),
  phase: HttpPhaseSchema,
  requestHeaders: z.record(z.string(), z.string()),
  responseHeaders: z.record(z.string(), z.string()),
  requestBody: z.string().optional(),
  responseBody: z.string().optional(),
  /** Network-level failure, when there is no status. */
  error: z.string().optional(),
});
export type HttpEntry = z.infer<typeof HttpEntrySchema>;

export const TrafficEntrySchema = z.discriminatedUnion('kind', [JsonRpcEntrySchema, HttpEntrySchema]);
export type TrafficEntry = z.infer<typeof TrafficEntrySchema>;
