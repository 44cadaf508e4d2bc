import { z } from 'zod';
import { event, method } from './define';
import { ErrorCode } from './errors';
import { ServerId, ToolView } from './servers';

// The inspector: tool calls, resources, prompts, client features (roots,
// elicitation, sampling, logging), tool-definition drift, history and traffic.
// Everything a server sends is typed loosely (unknown / passthrough) here and
// treated as hostile by the renderer.

const Json = z.unknown();
const JsonObject = z.record(z.string(), z.unknown());
/**
 * A JSON object checked by shape but not copied: tool arguments and results
 * can be large, and this sits on the hot path of every call.
 */
const OpaqueObject = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'Expected a JSON object');

export const CallId = z.string().min(1).max(100);

// ---- tools ---------------------------------------------------------------

export const CallStatus = z.enum(['ok', 'tool-error', 'error', 'cancelled', 'timeout']);
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
});
export type CallToolResponse = z.infer<typeof CallToolResponse>;

export const ValidateArgumentsResponse = z.object({
  valid: z.boolean(),
  /** JSON pointer-ish field path ("" for the root, "a.b", "items.0") -> message. */
  fieldErrors: z.record(z.string(), z.string()),
});

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
  /** Which parts changed: description, title, inputSchema, outputSchema, annotations. */
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

// ---- resources and prompts -----------------------------------------------

export const ResourceView = z.object({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
});
export type ResourceView = z.infer<typeof ResourceView>;

export const ResourceTemplateView = z.object({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  /** RFC 6570 variable names, parsed in the core. */
  variables: z.array(z.string()),
});
export type ResourceTemplateView = z.infer<typeof ResourceTemplateView>;

export const ResourceContentView = z.object({
  uri: z.string(),
  mimeType: z.string().optional(),
  text: z.string().optional(),
  /** base64 */
  blob: z.string().optional(),
});
export type ResourceContentView = z.infer<typeof ResourceContentView>;

export const PromptArgumentView = z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional() });
export const PromptView = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(PromptArgumentView),
});
export type PromptView = z.infer<typeof PromptView>;

export const PromptMessageView = z.object({ role: z.string(), content: JsonObject });
export type PromptMessageView = z.infer<typeof PromptMessageView>;

// ---- client features -------------------------------------------------------

export const LogLevel = z.enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);
export type LogLevel = z.infer<typeof LogLevel>;

export const ServerMessage = z.object({
  seq: z.number().int(),
  ts: z.number(),
  kind: z.enum(['log', 'list-changed', 'resource-updated', 'progress', 'other']),
  level: z.string().optional(),
  logger: z.string().optional(),
  /** A short human-readable line. */
  text: z.string(),
  data: Json.optional(),
});
export type ServerMessage = z.infer<typeof ServerMessage>;

export const ClientRequestView = z.object({
  requestId: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  kind: z.enum(['elicitation', 'sampling']),
  receivedAt: z.number(),
  /** For elicitation: the message; for sampling: a summary. */
  message: z.string(),
  /** Elicitation: the requested JSON Schema (flat object of primitives). */
  requestedSchema: JsonObject.optional(),
  /** Sampling: the conversation the server wants completed, plus its preferences. */
  sampling: z
    .object({
      messages: z.array(z.object({ role: z.string(), content: Json })),
      systemPrompt: z.string().optional(),
      maxTokens: z.number().optional(),
      modelPreferences: Json.optional(),
    })
    .optional(),
});
export type ClientRequestView = z.infer<typeof ClientRequestView>;

export const RootsView = z.object({ serverId: z.string(), paths: z.array(z.string()) });

// ---- history -----------------------------------------------------------------

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

// ---- traffic -----------------------------------------------------------------

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

// ---- maps ----------------------------------------------------------------------

const ByServer = z.object({ serverId: ServerId });
const Ok = z.object({ ok: z.literal(true) });
const Cursor = z.string().max(10_000).optional();

export const inspectMethods = {
  validateToolArguments: method(z.object({ serverId: ServerId, tool: z.string().min(1).max(1000), arguments: JsonObject }), ValidateArgumentsResponse),
  callTool: method(CallToolRequest, CallToolResponse),
  cancelToolCall: method(z.object({ callId: CallId }), z.object({ cancelled: z.boolean() })),
  getToolDiff: method(ByServer, z.object({ diff: ToolDiff.nullable() })),
  acknowledgeToolChanges: method(ByServer, Ok),

  listResources: method(z.object({ serverId: ServerId, cursor: Cursor }), z.object({ resources: z.array(ResourceView), nextCursor: z.string().optional() })),
  listResourceTemplates: method(z.object({ serverId: ServerId, cursor: Cursor }), z.object({ templates: z.array(ResourceTemplateView), nextCursor: z.string().optional() })),
  /** Give either `uri`, or `uriTemplate` with `variables` (expanded in the core per RFC 6570). */
  readResource: method(
    z.object({ serverId: ServerId, uri: z.string().max(100_000).optional(), uriTemplate: z.string().max(100_000).optional(), variables: z.record(z.string(), z.string().max(100_000)).optional() }),
    z.object({ uri: z.string(), contents: z.array(ResourceContentView) }),
  ),
  subscribeResource: method(z.object({ serverId: ServerId, uri: z.string().max(100_000) }), Ok),
  unsubscribeResource: method(z.object({ serverId: ServerId, uri: z.string().max(100_000) }), Ok),
  listSubscriptions: method(ByServer, z.object({ uris: z.array(z.string()) })),
  listPrompts: method(z.object({ serverId: ServerId, cursor: Cursor }), z.object({ prompts: z.array(PromptView), nextCursor: z.string().optional() })),
  getPrompt: method(z.object({ serverId: ServerId, name: z.string().max(1000), arguments: z.record(z.string(), z.string().max(100_000)).default({}) }), z.object({ description: z.string().optional(), messages: z.array(PromptMessageView) })),

  setLogLevel: method(z.object({ serverId: ServerId, level: LogLevel }), Ok),
  getServerMessages: method(ByServer, z.object({ messages: z.array(ServerMessage), level: LogLevel.optional() })),
  getRoots: method(ByServer, RootsView),
  /** Absolute paths of existing directories; VALIDATION with `paths.N` field errors otherwise. */
  setRoots: method(z.object({ serverId: ServerId, paths: z.array(z.string().max(4096)).max(100) }), RootsView),
  listClientRequests: method(z.object({}), z.object({ requests: z.array(ClientRequestView) })),
  answerElicitation: method(z.object({ requestId: z.string(), action: z.enum(['accept', 'decline', 'cancel']), content: z.record(z.string(), z.unknown()).optional() }), Ok),
  answerSampling: method(z.object({ requestId: z.string(), action: z.enum(['reply', 'decline']), text: z.string().max(1_000_000).optional() }), Ok),

  queryHistory: method(HistoryQueryRequest, z.object({ total: z.number(), records: z.array(HistorySummaryView) })),
  getHistoryRecord: method(z.object({ id: z.string().max(200) }), z.object({ record: HistoryRecordView })),
  historyFacets: method(z.object({}), HistoryFacetsView),
  exportHistory: method(z.object({}), z.object({ json: z.string(), count: z.number() })),

  listTraffic: method(
    z.object({ serverId: ServerId, afterSeq: z.number().int().optional(), method: z.string().max(200).optional(), direction: z.enum(['in', 'out']).optional(), limit: z.number().int().min(1).max(5000).default(2000) }),
    z.object({ entries: z.array(TrafficEntryView) }),
  ),
};

export const inspectEvents = {
  toolProgress: event(ToolProgress),
  /** Tools changed against the acknowledged snapshot (null: no differences). */
  toolDiffChanged: event(z.object({ serverId: z.string(), diff: ToolDiff.nullable() })),
  /** resources / prompts / tools list_changed from a server. */
  listChanged: event(z.object({ serverId: z.string(), list: z.enum(['tools', 'resources', 'prompts']) })),
  resourceUpdated: event(z.object({ serverId: z.string(), uri: z.string() })),
  serverMessages: event(z.object({ serverId: z.string(), messages: z.array(ServerMessage) })),
  clientRequest: event(ClientRequestView),
  clientRequestDone: event(z.object({ requestId: z.string(), reason: z.enum(['answered', 'cancelled-by-server', 'disconnected']) })),
  /** Throttled: new history records exist (fetch with queryHistory). */
  historyAppended: event(z.object({ count: z.number().int(), total: z.number().int() })),
  /** Throttled: new traffic for these servers (fetch with listTraffic afterSeq). */
  trafficAppended: event(z.object({ servers: z.array(z.object({ serverId: z.string(), lastSeq: z.number().int() })) })),
};
