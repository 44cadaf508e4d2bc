import { z } from 'zod';
import { event, method } from './define';
import { ErrorCode } from './errors';
import { ByServer, Ok, OpaqueObject } from './json';
import { ServerId, ToolView } from './servers';

// Tool calls (validated, cancellable, timed out, recorded) and tool-definition
// drift against the acknowledged snapshot.

export const CallId = z.string().min(1).max(100);

// ---- tools ---------------------------------------------------------------

/** 'task': the call created a task (its outcome is the task's own history record). */
export const CallStatus = z.enum(['ok', 'tool-error', 'error', 'cancelled', 'timeout', 'task']);
export type CallStatus = z.infer<typeof CallStatus>;

export const StructuredCheck = z.object({
  /** Whether the tool declares an output schema. */
  hasSchema: z.boolean(),
  valid: z.boolean(),
  /** Human-readable mismatches ("/temperature: must be number"). */
  errors: z.array(z.string()),
  /** Parts of the output schema skipped because they cannot be checked safely (e.g. a pattern); the rest was checked. */
  unchecked: z.array(z.string()).optional(),
});
export type StructuredCheck = z.infer<typeof StructuredCheck>;

export const CallToolRequest = z.object({
  serverId: ServerId,
  tool: z.string().min(1).max(1000),
  arguments: OpaqueObject.default({}),
  /** Chosen by the renderer so it can cancel and match progress events before the call returns. */
  callId: CallId,
  timeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
  /** Send even when the arguments do not match the input schema (testing a server's own validation). */
  skipValidation: z.boolean().default(false),
  /** Ask for a task (2025-11-25, where the tool allows one; a tool that requires one always gets one). */
  asTask: z.boolean().optional(),
});
export type CallToolRequest = z.input<typeof CallToolRequest>;

export const CallToolResponse = z.object({
  callId: z.string(),
  status: CallStatus,
  durationMs: z.number(),
  /** The CallToolResult as the server sent it (for ok and tool-error). */
  result: OpaqueObject.optional(),
  /** Protocol error (code: the JSON-RPC error code, or ours: AUTH_REQUIRED / STEP_UP_REQUIRED offer sign-in), cancellation or timeout. */
  error: z.object({ code: z.union([z.number(), ErrorCode]).optional(), message: z.string() }).optional(),
  structured: StructuredCheck.optional(),
  /** Parts of the input schema that could not be checked safely before sending (the call went ahead). */
  inputUnchecked: z.array(z.string()).optional(),
  historyId: z.string().optional(),
  /** Set when the call created a task (status 'task'): follow it in the Tasks view. */
  task: z.object({ taskId: z.string() }).optional(),
});
export type CallToolResponse = z.infer<typeof CallToolResponse>;

export const ToolProgress = z.object({
  serverId: z.string(),
  callId: z.string(),
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export type ToolProgress = z.infer<typeof ToolProgress>;

/** One changed tool between the snapshot taken at first connect and now. */
export const ToolChange = z.object({
  name: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  /** Which parts changed: description, title, inputSchema, outputSchema, annotations, ui (MCP Apps). */
  fields: z.array(z.string()),
  before: ToolView.optional(),
  after: ToolView.optional(),
});
export type ToolChange = z.infer<typeof ToolChange>;

export const ToolDiff = z.object({
  serverId: z.string(),
  /** When the acknowledged snapshot was taken. */
  snapshotAt: z.number(),
  changes: z.array(ToolChange),
});
export type ToolDiff = z.infer<typeof ToolDiff>;

export const toolsMethods = {
  callTool: method(CallToolRequest, CallToolResponse),
  cancelToolCall: method(z.object({ callId: CallId }), z.object({ cancelled: z.boolean() })),
  getToolDiff: method(ByServer, z.object({ diff: ToolDiff.nullable() })),
  acknowledgeToolChanges: method(ByServer, Ok),
};

export const toolsEvents = {
  toolProgress: event(ToolProgress),
  /** Tools changed against the acknowledged snapshot (null: no differences). */
  toolDiffChanged: event(z.object({ serverId: z.string(), diff: ToolDiff.nullable() })),
};
