import { ProtocolError, ProtocolErrorCode, SdkErrorCode, SdkError, type Progress } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { CallToolRequest, CallToolResponse, StructuredCheck, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { Emit } from '../events';
import type { ServerManager } from '../servers';
import { describeFieldErrors, type SchemaValidators } from './schema-validate';

// Tool calls: validated against the input schema, cancellable, timed out, the
// structured result checked against the output schema, and recorded in history
// (queued: recording never sits between a server's answer and the caller).

/** Anything with a JSON-RPC result shape; the inspector shows what the server sent, not what the SDK would accept. */
const LooseResult = z.looseObject({});

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One call's progress handler, built outside callTool so the hot path creates a bare closure (no per-call name or context copies). */
function progressReporter(emit: Emit, serverId: string, callId: string) {
  return (p: { progress: number; total?: unknown }) =>
    emit('toolProgress', { serverId, callId, progress: p.progress, total: asNumber(p.total), message: asString((p as { message?: unknown }).message) });
}

export interface CallRecord {
  serverId: string;
  serverName: string;
  /** The gateway client that made the call. */
  client?: string;
  tool: string;
  arguments: unknown;
  result?: unknown;
  error?: { code?: number | string; message: string };
  status: CallToolResponse['status'];
  startedAt: number;
  durationMs: number;
  /** A task's own record: the task and the record of the call that created it. */
  task?: { taskId: string; createdBy?: string };
}

/** What the tasks feature does for a tool call: ask for a task where allowed, and take over a task the server created. */
export interface ToolTaskHooks {
  /** Extra tools/call params (2025-11-25 `task`), or none. */
  taskParams(serverId: string, tool: ToolView | undefined, asTask: boolean): Record<string, unknown> | undefined;
  /** When the result is a task: start following it. `createdBy` records the creating call and returns its history id. */
  adopt(serverId: string, result: Record<string, unknown>, call: { tool: string; arguments: unknown; createdBy: () => string }): { taskId: string } | undefined;
}

/** A call made for a gateway client: named in history, cancelled with the downstream request, progress sent downstream. */
export interface CallVia {
  client: string;
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/** Tool calls in flight, by call id. Created by app-core before recording, which waits while it is not empty. */
export type CallsInFlight = Map<string, { controller: AbortController; cancelled: boolean; serverId?: string; gateway?: boolean }>;

export interface ToolCallDeps {
  servers: () => ServerManager;
  /** Shared with recording (history, traffic), which waits for a quiet moment. */
  inFlight?: CallsInFlight;
  emit: Emit;
  validators: SchemaValidators;
  /** Queues the call's history record and returns its id. */
  record: (call: CallRecord) => string;
  now: () => number;
  /** A call failed with -32042 (URL elicitation required): the elicitations from the error's data, unchecked. */
  onUrlElicitationRequired?: (serverId: string, elicitations: unknown[]) => void;
  /** The tasks feature's hooks: asking for and adopting tasks. */
  tasks?: () => ToolTaskHooks;
}

export class ToolCalls {
  private readonly calls: CallsInFlight;
  /** Server names for history records, refreshed on every connect (building a full view per call is slow). */
  private readonly names = new Map<string, string>();

  constructor(private readonly deps: ToolCallDeps) {
    this.calls = deps.inFlight ?? new Map();
  }

  /** True while calls are in flight: recording waits for a quiet moment. */
  busy(): boolean {
    return this.calls.size > 0;
  }

  async onConnected(serverId: string): Promise<void> {
    this.names.set(serverId, (await this.deps.servers().get(serverId)).name);
  }

  async callTool(req: z.output<typeof CallToolRequest>, via?: CallVia): Promise<CallToolResponse> {
    const servers = this.deps.servers();
    const client = servers.client(req.serverId);
    const serverName = this.names.get(req.serverId) ?? (await servers.get(req.serverId)).name;
    const tool = servers.tools.get(req.serverId).find((t) => t.name === req.tool);
    let inputUnchecked: string[] | undefined;
    if (!req.skipValidation && tool) {
      const check = this.deps.validators.check(tool.inputSchema, req.arguments);
      if (!check.valid)
        throw new IpcError(
          'VALIDATION',
          `The arguments do not match the input schema of ${req.tool}: ${describeFieldErrors(check.fieldErrors).join('; ')}`,
          check.fieldErrors,
        );
      // What could not be checked safely does not stop the call; the result says so.
      if (check.schemaError || check.unchecked) inputUnchecked = [...(check.schemaError ? [check.schemaError] : []), ...(check.unchecked ?? [])];
    }
    if (this.calls.has(req.callId)) throw new IpcError('CONFLICT', 'A call with this id is already running.');
    const call = { controller: new AbortController(), cancelled: false, serverId: req.serverId, gateway: via !== undefined };
    this.calls.set(req.callId, call);
    const onAbort = () => {
      call.cancelled = true;
      call.controller.abort('Cancelled by the client.');
    };
    if (via?.signal?.aborted) onAbort();
    else via?.signal?.addEventListener('abort', onAbort, { once: true });
    const startedAt = this.deps.now();
    const t0 = performance.now();
    let status: CallToolResponse['status'];
    let result: Record<string, unknown> | undefined;
    let error: CallToolResponse['error'];
    let structured: StructuredCheck | undefined;
    let task: { taskId: string } | undefined;
    let historyId: string | undefined;
    try {
      const taskParams = this.deps.tasks?.().taskParams(req.serverId, tool, req.asTask === true);
      const params = { name: req.tool, arguments: req.arguments, ...taskParams };
      const options = {
        signal: call.controller.signal,
        timeout: req.timeoutMs,
        onprogress: via?.onProgress
          ? (p: Progress) => via.onProgress!({ progress: p.progress, total: asNumber(p.total), message: asString((p as { message?: unknown }).message) })
          : progressReporter(this.deps.emit, req.serverId, req.callId),
      };
      // On a 2026-07-28 connection the SDK's callTool mirrors the arguments the tool marks with
      // x-mcp-header into Mcp-Param-* headers (SEP-2243), which such a server requires; on 2025-era
      // connections the loose request shows whatever the server sent (task-augmented or not).
      result = (
        client.getProtocolEra() === 'modern' && !taskParams
          ? await client.callTool(params, options)
          : await client.request({ method: 'tools/call', params }, LooseResult, options)
      ) as Record<string, unknown>;
      status = result.isError === true ? 'tool-error' : 'ok';
      const created = result;
      task = this.deps.tasks?.().adopt(req.serverId, created, {
        tool: req.tool,
        arguments: req.arguments,
        createdBy: () =>
          (historyId = this.deps.record({
            serverId: req.serverId,
            serverName,
            ...(via ? { client: via.client } : {}),
            tool: req.tool,
            arguments: req.arguments,
            result: created,
            status: 'task',
            startedAt,
            durationMs: performance.now() - t0,
          })),
      });
      if (task) status = 'task';
      else structured = this.checkStructured(tool, result);
    } catch (e) {
      if (call.cancelled) {
        status = 'cancelled';
        error = { message: via ? `Cancelled by ${via.client}.` : 'Cancelled by the user.' };
      } else if (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) {
        status = 'timeout';
        error = { message: `No answer within ${Math.round(req.timeoutMs / 100) / 10} s.` };
      } else if (e instanceof IpcError && (e.code === 'AUTH_REQUIRED' || e.code === 'STEP_UP_REQUIRED')) {
        // A 401 the refresh could not fix, or a 403 insufficient_scope: the user can sign in / grant more right here.
        status = 'error';
        error = { code: e.code, message: e.message };
      } else {
        status = 'error';
        error = { code: e instanceof ProtocolError ? e.code : undefined, message: (e as Error)?.message ?? String(e) };
        if (e instanceof ProtocolError && e.code === ProtocolErrorCode.UrlElicitationRequired) {
          const elicitations = (e.data as { elicitations?: unknown } | undefined)?.elicitations;
          this.deps.onUrlElicitationRequired?.(req.serverId, Array.isArray(elicitations) ? elicitations : []);
        }
      }
    } finally {
      this.calls.delete(req.callId);
      via?.signal?.removeEventListener('abort', onAbort);
    }
    const durationMs = performance.now() - t0;
    historyId ??= this.deps.record({
      serverId: req.serverId,
      serverName,
      ...(via ? { client: via.client } : {}),
      tool: req.tool,
      arguments: req.arguments,
      result,
      error,
      status,
      startedAt,
      durationMs,
    });
    return { callId: req.callId, status, durationMs, result, error, structured, inputUnchecked, historyId, ...(task ? { task } : {}) };
  }

  /** Switchboard's own calls (not the gateway's) running on one server now. */
  ownCallsOn(serverId: string): number {
    let n = 0;
    for (const call of this.calls.values()) if (call.serverId === serverId && !call.gateway) n++;
    return n;
  }

  cancel(callId: string): boolean {
    const call = this.calls.get(callId);
    if (!call) return false;
    call.cancelled = true;
    call.controller.abort('Cancelled by the user.');
    return true;
  }

  abortAll(reason: string): void {
    for (const call of this.calls.values()) call.controller.abort(reason);
  }

  private checkStructured(tool: ToolView | undefined, result: Record<string, unknown>): StructuredCheck | undefined {
    const hasSchema = Boolean(tool?.outputSchema);
    if (!hasSchema) return result.structuredContent === undefined ? undefined : { hasSchema, valid: true, errors: [] };
    if (result.isError === true) return { hasSchema, valid: true, errors: [] };
    if (result.structuredContent === undefined)
      return { hasSchema, valid: false, errors: ['The tool declares an output schema but returned no structuredContent.'] };
    const check = this.deps.validators.check(tool!.outputSchema, result.structuredContent);
    if (check.schemaError) return { hasSchema, valid: false, errors: [check.schemaError] };
    return { hasSchema, valid: check.valid, errors: describeFieldErrors(check.fieldErrors), ...(check.unchecked ? { unchecked: check.unchecked } : {}) };
  }
}
