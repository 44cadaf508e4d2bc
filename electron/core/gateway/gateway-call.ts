import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { CallToolResponse, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { CallVia } from '../tools';
import { scrubDeep, type Scrub } from '../traffic';
import type { CallOrigin } from './gateway-routing';
import { ParkedCall, ROUND_EXPIRED, type GatewayRounds } from './gateway-rounds';
import type { TaskOutcome } from './gateway-tasks';

// One tool call through the gateway, shared by a server's own endpoint
// (gateway-proxy.ts) and the combined endpoint (gateway-aggregate.ts): through
// the core's ToolCalls (History names the client, the real server and the real
// tool), cancellable by a 2025-era notifications/cancelled, ended with its
// session, routing the upstream's elicitation and sampling back to the client
// that caused them (a 2025 session on its stream, a 2026-07-28 client in
// input-required rounds), and answered plainly when the call became a task upstream.

export interface ProxyDeps {
  /** The core's client for a connected server; throws when it is not connected. */
  upstream(serverId: string): Client;
  /** The server's tool catalogue (the one list tool calls read). */
  tools(serverId: string): ToolView[];
  /** Tools added or changed since the user last acknowledged the server's tools. */
  unacknowledged(serverId: string): ReadonlySet<string>;
  callTool(
    req: { serverId: string; tool: string; arguments: Record<string, unknown>; callId: string; timeoutMs: number; skipValidation: boolean },
    via: CallVia,
  ): Promise<CallToolResponse>;
  /** Replaces values injected into any server (secret env, headers, tokens) wherever a server echoed them. */
  scrub(): Scrub | undefined;
  serverName(serverId: string): string;
  onCall(clientId: string, call: { serverId: string; tool: string; status: string }): void;
  /** The call's signal joined with 2025-era cancellations of its request id on one endpoint (a server id, or the combined endpoint). */
  callSignal(clientId: string, channel: string, requestId: unknown, signal: AbortSignal): { signal: AbortSignal; done: () => void };
  version: string;
  /** Subscribes the managed connection to a resource's updates (a session asked for them). */
  subscribeUpstream?(serverId: string, uri: string): Promise<void>;
  /** A tool call started (for routing the upstream's elicitation and sampling); returns its end. */
  beginCall?(serverId: string, origin: CallOrigin): () => void;
  /** A call that became a task upstream: its outcome once it ends (the signal cancels the task). */
  awaitTask?(serverId: string, taskId: string, signal: AbortSignal): Promise<TaskOutcome>;
  /** Calls parked between a 2026-07-28 client's input-required rounds. */
  rounds?: GatewayRounds;
}

/** Gateway calls may run long; progress keeps them alive. */
export const CALL_TIMEOUT_MS = 30 * 60_000;

export const SESSION_ENDED =
  'This gateway session ended: the client was revoked, its token rotated or its access changed in Switchboard, or the gateway stopped.';

export function asProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (error instanceof IpcError) {
    const code = error.code === 'VALIDATION' ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError;
    return new ProtocolError(code, error.message);
  }
  const e = error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  if (typeof e?.code === 'number' && Number.isInteger(e.code)) return new ProtocolError(e.code, String(e.message ?? 'Upstream error'), e.data);
  return new ProtocolError(ProtocolErrorCode.InternalError, String(e?.message ?? error));
}

/** Replaces injected secrets in anything sent downstream. */
export function cleaner(deps: Pick<ProxyDeps, 'scrub'>): <T>(value: T) => T {
  return <T>(value: T): T => {
    const scrub = deps.scrub();
    return scrub ? scrubDeep(value, scrub) : value;
  };
}

/** An upstream request's answer or error, scrubbed, as the downstream client should see it. */
export async function forwardClean<T>(clean: <V>(value: V) => V, run: () => Promise<T>): Promise<T> {
  try {
    return clean(await run());
  } catch (error) {
    throw asProtocolError(clean(error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message, data: undefined } : error));
  }
}

/** A tool as listed downstream, under the given name. */
export function toolEntry(t: ToolView, name: string) {
  return {
    name,
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.description !== undefined ? { description: t.description } : {}),
    inputSchema: t.inputSchema as { type: 'object' },
    ...(t.outputSchema ? { outputSchema: t.outputSchema as { type: 'object' } } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
  };
}

/** Whether a downstream client declared what an upstream request needs. */
export function downstreamSupports(caps: ClientCapabilities | undefined, method: string, params: Record<string, unknown>): boolean {
  if (!caps) return false;
  if (method === 'sampling/createMessage')
    return Boolean(caps.sampling) && ((params.tools === undefined && params.toolChoice === undefined) || Boolean(caps.sampling?.tools));
  if (method !== 'elicitation/create' || !caps.elicitation) return false;
  const elicitation = caps.elicitation as { form?: unknown; url?: unknown };
  if (params.mode === 'url') return Boolean(elicitation.url);
  // An empty elicitation capability means form mode (2025-06-18 clients).
  return Boolean(elicitation.form) || Object.keys(elicitation).length === 0;
}

/**
 * The end of a 2025-era session (revoked, rotated, idle, gateway stopped): its transport does not abort calls itself.
 * Each request's signal is linked to it through a set, not a listener on one shared signal (an EventTarget checks
 * every listener on each add: a burst of 1,000 calls in one session would cost a million steps).
 */
export class SessionEnd {
  private readonly linked = new Set<AbortController>();
  private reason: unknown;
  ended = false;

  end(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.reason = reason;
    for (const controller of this.linked) controller.abort(reason);
    this.linked.clear();
  }

  /** The request's signal, also aborted when the session ends. */
  link(signal: AbortSignal): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const abort = () => controller.abort(signal.reason);
    if (this.ended) controller.abort(this.reason);
    else if (signal.aborted) abort();
    else {
      this.linked.add(controller);
      signal.addEventListener('abort', abort, { once: true });
    }
    return {
      signal: controller.signal,
      done: () => {
        this.linked.delete(controller);
        signal.removeEventListener('abort', abort);
      },
    };
  }
}

/** A request's signal joined with its session's end; without a session, the request's own signal. */
export function linkSignal(signal: AbortSignal, ending: SessionEnd | undefined): { signal: AbortSignal; done: () => void } {
  return ending ? ending.link(signal) : { signal, done: () => undefined };
}

/** What a 2025-era session adds to a call: its end ends the call, and it may answer the upstream's requests. */
export interface CallSession {
  ending: SessionEnd;
  /** What the downstream client declared at initialize. */
  capabilities(): ClientCapabilities | undefined;
}

type CallParams = { arguments?: Record<string, unknown>; _meta?: { progressToken?: string | number } };
type CallContext = Pick<ServerContext, 'mcpReq'>;

/** Who answers the upstream's elicitation and sampling requests during one call: the downstream client, or nobody (undefined: the dialog). */
type Delegate = CallOrigin['delegate'];

/** The request in progress of a call: progress goes out on it, with its token; `caps`: what it declared (2026-07-28). */
interface Round {
  ctx: CallContext;
  progressToken?: string | number;
  caps: ClientCapabilities;
  /** The call may span input-required rounds. */
  inRounds?: boolean;
}
type Parked = ParkedCall<CallToolResult, Round>;

/**
 * One tool call, already checked visible. `channel` keys 2025-era cancellations: the server id, or the combined endpoint.
 * `session`: the 2025 session the call came on, if any. A 2026-07-28 client that declared elicitation or sampling is
 * asked the upstream's questions in input-required rounds (gateway-rounds.ts); its retries come back here.
 */
export async function callThrough(
  deps: ProxyDeps,
  client: { readonly id: string; readonly name: string },
  target: { serverId: string; tool: string; channel: string },
  params: CallParams,
  ctx: CallContext,
  session?: CallSession,
): Promise<CallToolResult | InputRequiredResult> {
  const rounds = deps.rounds;
  const key = `${target.serverId}\n${target.tool}`;
  const state = ctx.mcpReq.requestState?.();
  if (rounds && state !== undefined) {
    const parked = rounds.take(state, client.id, key) as Parked | undefined;
    if (!parked) throw new ProtocolError(ProtocolErrorCode.InvalidParams, ROUND_EXPIRED);
    // Each retry is a new request: its own progress token, and what it declares now.
    parked.round = { ctx, progressToken: params._meta?.progressToken, caps: modernCapabilities(ctx) ?? {}, inRounds: true };
    parked.dropUnsupported((method, requestParams) => downstreamSupports(parked.round.caps, method, requestParams));
    parked.answer(ctx.mcpReq.inputResponses);
    return nextRound(rounds, parked, ctx);
  }
  const declared = session ? undefined : modernCapabilities(ctx);
  if (rounds && declared && (declared.elicitation || declared.sampling)) {
    const clean = cleaner(deps);
    const parked: Parked = new ParkedCall(client.id, key, { ctx, progressToken: params._meta?.progressToken, caps: declared, inRounds: true });
    rounds.track(parked as ParkedCall<unknown>);
    parked.run((signal) =>
      runCall(
        deps,
        client,
        target,
        params,
        () => parked.round,
        signal,
        undefined,
        (method, requestParams, signal) =>
          downstreamSupports(parked.round.caps, method, requestParams) && rounds.hasRoom(client.id, parked as ParkedCall<unknown>)
            ? parked.ask(method, clean(requestParams), signal)
            : undefined,
      ),
    );
    return nextRound(rounds, parked, ctx);
  }
  const clean = cleaner(deps);
  const link = linkSignal(ctx.mcpReq.signal, session?.ending);
  try {
    // An elicitation or sampling request the upstream makes during this call may go to this client,
    // on this call's own stream, when it is a session that declared the capability.
    const round: Round = { ctx, progressToken: params._meta?.progressToken, caps: {} };
    return await runCall(
      deps,
      client,
      target,
      params,
      () => round,
      link.signal,
      session,
      (method, requestParams, signal) =>
        session && downstreamSupports(session.capabilities(), method, requestParams)
          ? ctx.mcpReq.send({ method: method as 'elicitation/create', params: clean(requestParams) }, { signal, timeout: CALL_TIMEOUT_MS })
          : undefined,
    );
  } finally {
    link.done();
  }
}

/** What a 2026-07-28 request declares (its envelope), if it is one. */
function modernCapabilities(ctx: CallContext): ClientCapabilities | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return declared && typeof declared === 'object' ? (declared as ClientCapabilities) : undefined;
}

/** The round's answer: the call's result once it ends, or the upstream's questions with a requestState to come back with. */
async function nextRound(rounds: GatewayRounds, parked: Parked, ctx: CallContext): Promise<CallToolResult | InputRequiredResult> {
  const event = await parked.next(ctx.mcpReq.signal);
  if (event.done) return event.result;
  const requestState = rounds.park(parked as ParkedCall<unknown>);
  // The request went away while the questions were gathered: the answer can never reach the client.
  if (ctx.mcpReq.signal.aborted) {
    rounds.withdraw(requestState);
    parked.cancel(ctx.mcpReq.signal.reason);
    throw ctx.mcpReq.signal.reason;
  }
  return inputRequired({ inputRequests: event.questions as never, requestState });
}

/** The upstream call itself, through the core's ToolCalls; `round` is the request to send progress on, with its token (it changes between rounds). */
async function runCall(
  deps: ProxyDeps,
  client: { readonly id: string; readonly name: string },
  target: { serverId: string; tool: string; channel: string },
  params: CallParams,
  round: () => Round,
  signal: AbortSignal,
  session: CallSession | undefined,
  delegate: Delegate,
): Promise<CallToolResult> {
  const { serverId, tool } = target;
  const clean = cleaner(deps);
  const first = round();
  const cancel = deps.callSignal(client.id, target.channel, first.ctx.mcpReq.id, signal);
  const endRoute = deps.beginCall?.(serverId, { clientName: () => client.name, delegate });
  let response: CallToolResponse;
  let task: TaskOutcome | undefined;
  let progressSent: Promise<void> = Promise.resolve();
  try {
    response = await deps.callTool(
      { serverId, tool, arguments: params.arguments ?? {}, callId: `gateway:${randomUUID()}`, timeoutMs: CALL_TIMEOUT_MS, skipValidation: false },
      {
        client: client.name,
        signal: cancel.signal,
        // When the client asked for progress (in rounds, any later round may ask, each with its own token).
        onProgress:
          first.progressToken === undefined && !first.inRounds
            ? undefined
            : (p) => {
                const { ctx, progressToken } = round();
                if (progressToken === undefined) return;
                progressSent = ctx.mcpReq
                  .notify({ method: 'notifications/progress', params: clean({ progressToken, progress: p.progress, total: p.total, message: p.message }) })
                  .catch(() => undefined);
              },
      },
    );
    // Progress and result can arrive in one read: the progress goes out first (after the result the client drops it).
    await progressSent;
    // Answered plainly: the gateway waits for the task (Switchboard's Tasks view follows it too).
    if (response.status === 'task' && response.task && deps.awaitTask) task = await deps.awaitTask(serverId, response.task.taskId, cancel.signal);
  } catch (error) {
    deps.onCall(client.id, { serverId, tool, status: 'error' });
    throw asProtocolError(clean(error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message } : error));
  } finally {
    cancel.done();
    endRoute?.();
  }
  deps.onCall(client.id, { serverId, tool, status: response.status });
  if (session?.ending.ended) throw new ProtocolError(ProtocolErrorCode.InternalError, SESSION_ENDED);
  if ((response.status === 'ok' || response.status === 'tool-error') && response.result) return clean(response.result) as CallToolResult;
  if (task && 'result' in task) return clean(task.result) as CallToolResult;
  if (task) throw new ProtocolError(typeof task.error.code === 'number' ? task.error.code : ProtocolErrorCode.InternalError, clean(task.error.message));
  if (response.status === 'task')
    throw new ProtocolError(ProtocolErrorCode.InternalError, 'This tool ran as a task, which Switchboard follows in its Tasks view.');
  const code = typeof response.error?.code === 'number' ? response.error.code : ProtocolErrorCode.InternalError;
  throw new ProtocolError(code, clean(response.error?.message ?? response.status));
}
