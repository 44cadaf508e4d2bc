import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type ClientCapabilities,
  type LoggingMessageNotificationParams,
  type ServerCapabilities,
} from '@modelcontextprotocol/server';
import type { CallToolResponse, GatewayServerAccess, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { CallVia } from '../tools';
import { scrubDeep, type Scrub } from '../traffic';
import type { CallOrigin } from './gateway-routing';
import type { TaskOutcome } from './gateway-tasks';

// A low-level SDK Server that forwards to the managed connection: the core's
// own SDK client for that server, never a second one. Built fresh per request
// (2026-07-28 and stateless 2025 requests: the createMcpHandler factory) or once
// per 2025 session (gateway-sessions.ts), which also gets the upstream's
// notifications through ProxyEvents.
// What a client may see is decided here: its allow and deny lists, the
// destructive switch, and the user's acknowledgement of new or changed tools.

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
  /** The call's signal joined with 2025-era cancellations of its request id. */
  callSignal(clientId: string, serverId: string, requestId: unknown, signal: AbortSignal): { signal: AbortSignal; done: () => void };
  version: string;
  /** Subscribes the managed connection to a resource's updates (a session asked for them). */
  subscribeUpstream?(serverId: string, uri: string): Promise<void>;
  /** A tool call started (for routing the upstream's elicitation and sampling); returns its end. */
  beginCall?(serverId: string, origin: CallOrigin): () => void;
  /** A call that became a task upstream: its outcome once it ends (the signal cancels the task). */
  awaitTask?(serverId: string, taskId: string, signal: AbortSignal): Promise<TaskOutcome>;
}

/** Whether a downstream client declared what an upstream request needs. */
export function downstreamSupports(caps: ClientCapabilities | undefined, method: string, params: Record<string, unknown>): boolean {
  if (!caps) return false;
  if (method === 'sampling/createMessage') return Boolean(caps.sampling) && (params.tools === undefined || Boolean(caps.sampling?.tools));
  if (method !== 'elicitation/create' || !caps.elicitation) return false;
  const elicitation = caps.elicitation as { form?: unknown; url?: unknown };
  if (params.mode === 'url') return Boolean(elicitation.url);
  // An empty elicitation capability means form mode (2025-06-18 clients).
  return Boolean(elicitation.form) || Object.keys(elicitation).length === 0;
}

/** What a session's proxy hears from the gateway. */
export interface ProxyEvents {
  /** The server's tools may have changed: the client is told only if the tools it sees changed. */
  toolsMaybeChanged(): void;
  /** A notification from the upstream: list changes, log messages, resource updates. */
  upstream(method: string, params: Record<string, unknown> | undefined): void;
  closed(): void;
}

export const SESSION_ENDED =
  'This gateway session ended: the client was revoked, its token rotated or its access changed in Switchboard, or the gateway stopped.';

/** Bounds what one session may subscribe to. */
const MAX_SUBSCRIPTIONS = 1000;

/** Whether one client may see (and call) one tool of a server. */
export function toolVisible(access: GatewayServerAccess, tool: ToolView, unacknowledged: ReadonlySet<string>): boolean {
  if (unacknowledged.has(tool.name)) return false;
  if (access.deny.includes(tool.name)) return false;
  if (access.allow.length > 0 && !access.allow.includes(tool.name)) return false;
  if (access.hideDestructive && tool.annotations?.destructiveHint === true) return false;
  return true;
}

/** Gateway calls may run long; progress keeps them alive. */
const CALL_TIMEOUT_MS = 30 * 60_000;

function asProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (error instanceof IpcError) {
    const code = error.code === 'VALIDATION' ? ProtocolErrorCode.InvalidParams : ProtocolErrorCode.InternalError;
    return new ProtocolError(code, error.message);
  }
  const e = error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  if (typeof e?.code === 'number' && Number.isInteger(e.code)) return new ProtocolError(e.code, String(e.message ?? 'Upstream error'), e.data);
  return new ProtocolError(ProtocolErrorCode.InternalError, String(e?.message ?? error));
}

export function buildProxyServer(
  deps: ProxyDeps,
  client: { readonly id: string; readonly name: string },
  access: GatewayServerAccess,
  sessionId?: string,
): { server: Server; events: ProxyEvents } {
  const serverId = access.serverId;
  const upstream = deps.upstream(serverId);
  const upstreamCaps = upstream.getServerCapabilities() ?? {};
  const capabilities: ServerCapabilities = {};
  if (upstreamCaps.tools) capabilities.tools = { listChanged: true };
  if (upstreamCaps.resources)
    capabilities.resources = {
      listChanged: Boolean(upstreamCaps.resources.listChanged),
      ...(sessionId && upstreamCaps.resources.subscribe && deps.subscribeUpstream ? { subscribe: true } : {}),
    };
  if (upstreamCaps.prompts) capabilities.prompts = { listChanged: Boolean(upstreamCaps.prompts.listChanged) };
  if (upstreamCaps.completions) capabilities.completions = {};
  // A session gets the upstream's log messages; its logging/setLevel filters them for it alone (the SDK's handler).
  if (sessionId && upstreamCaps.logging) capabilities.logging = {};
  const server = new Server({ name: `Switchboard: ${deps.serverName(serverId)}`, version: deps.version }, { capabilities });
  const clean = <T>(value: T): T => {
    const scrub = deps.scrub();
    return scrub ? scrubDeep(value, scrub) : value;
  };
  const visible = () => {
    const hidden = deps.unacknowledged(serverId);
    return deps.tools(serverId).filter((t) => toolVisible(access, t, hidden));
  };
  const forward = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return clean(await run());
    } catch (error) {
      throw asProtocolError(clean(error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message, data: undefined } : error));
    }
  };

  const toolsSignature = () => JSON.stringify(visible());
  let toolsSeen = sessionId && capabilities.tools ? toolsSignature() : '';
  const subscribed = new Set<string>();
  /** A session's calls end with it (revoked, rotated, idle, gateway stopped): its transport does not abort them itself. */
  const ending = sessionId ? new AbortController() : undefined;
  /** The request's signal, also aborted when the session ends (plain listeners: an AbortSignal.any chain may be collected). */
  const linked = (signal: AbortSignal): { signal: AbortSignal; done: () => void } => {
    if (!ending) return { signal, done: () => undefined };
    const controller = new AbortController();
    const abort = () => controller.abort(signal.aborted ? signal.reason : ending.signal.reason);
    if (signal.aborted || ending.signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    ending.signal.addEventListener('abort', abort, { once: true });
    return {
      signal: controller.signal,
      done: () => {
        signal.removeEventListener('abort', abort);
        ending.signal.removeEventListener('abort', abort);
      },
    };
  };
  const upstreamCall = async <T>(signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const link = linked(signal);
    try {
      return await forward(() => run(link.signal));
    } finally {
      link.done();
    }
  };
  const send = (method: string, params?: Record<string, unknown>) =>
    void server.notification({ method, ...(params ? { params } : {}) } as never).catch(() => undefined);
  const events: ProxyEvents = {
    toolsMaybeChanged() {
      if (!capabilities.tools) return;
      const now = toolsSignature();
      if (now === toolsSeen) return;
      toolsSeen = now;
      send('notifications/tools/list_changed');
    },
    upstream(method, params) {
      if (method === 'notifications/resources/list_changed' && capabilities.resources?.listChanged) send(method);
      else if (method === 'notifications/prompts/list_changed' && capabilities.prompts?.listChanged) send(method);
      else if (method === 'notifications/resources/updated' && typeof params?.uri === 'string' && subscribed.has(params.uri))
        send(method, clean({ uri: params.uri }));
      else if (method === 'notifications/message' && capabilities.logging && params)
        void server.sendLoggingMessage(clean(params) as LoggingMessageNotificationParams, sessionId).catch(() => undefined);
    },
    closed() {
      subscribed.clear();
      ending?.abort(SESSION_ENDED);
    },
  };

  if (capabilities.tools) {
    server.setRequestHandler('tools/list', () => {
      const list = visible();
      if (sessionId) toolsSeen = JSON.stringify(list);
      return clean({
        tools: list.map((t) => ({
          name: t.name,
          ...(t.title !== undefined ? { title: t.title } : {}),
          ...(t.description !== undefined ? { description: t.description } : {}),
          inputSchema: t.inputSchema as { type: 'object' },
          ...(t.outputSchema ? { outputSchema: t.outputSchema as { type: 'object' } } : {}),
          ...(t.annotations ? { annotations: t.annotations } : {}),
        })),
      });
    });
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const name = request.params.name;
      // A filtered or unacknowledged tool does not exist for this client: same answer as an unknown one.
      if (!visible().some((t) => t.name === name)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
      const progressToken = request.params._meta?.progressToken;
      const link = linked(ctx.mcpReq.signal);
      const cancel = deps.callSignal(client.id, serverId, ctx.mcpReq.id, link.signal);
      // An elicitation or sampling request the upstream makes during this call may go to this client,
      // on this call's own stream, when it is a session that declared the capability.
      const endRoute = deps.beginCall?.(serverId, {
        clientName: () => client.name,
        delegate: (method, params, signal) =>
          sessionId && downstreamSupports(server.getClientCapabilities(), method, params)
            ? ctx.mcpReq.send({ method: method as 'elicitation/create', params: clean(params) }, { signal, timeout: CALL_TIMEOUT_MS })
            : undefined,
      });
      let response: CallToolResponse;
      let task: TaskOutcome | undefined;
      let progressSent: Promise<void> = Promise.resolve();
      try {
        response = await deps.callTool(
          {
            serverId,
            tool: name,
            arguments: request.params.arguments ?? {},
            callId: `gateway:${randomUUID()}`,
            timeoutMs: CALL_TIMEOUT_MS,
            skipValidation: false,
          },
          {
            client: client.name,
            signal: cancel.signal,
            onProgress:
              progressToken === undefined
                ? undefined
                : (p) => {
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
        deps.onCall(client.id, { serverId, tool: name, status: 'error' });
        throw asProtocolError(clean(error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message } : error));
      } finally {
        cancel.done();
        link.done();
        endRoute?.();
      }
      deps.onCall(client.id, { serverId, tool: name, status: response.status });
      if (ending?.signal.aborted) throw new ProtocolError(ProtocolErrorCode.InternalError, SESSION_ENDED);
      if ((response.status === 'ok' || response.status === 'tool-error') && response.result) return clean(response.result) as { content: [] };
      if (task && 'result' in task) return clean(task.result) as { content: [] };
      if (task) throw new ProtocolError(typeof task.error.code === 'number' ? task.error.code : ProtocolErrorCode.InternalError, clean(task.error.message));
      if (response.status === 'task')
        throw new ProtocolError(ProtocolErrorCode.InternalError, 'This tool ran as a task, which Switchboard follows in its Tasks view.');
      const code = typeof response.error?.code === 'number' ? response.error.code : ProtocolErrorCode.InternalError;
      throw new ProtocolError(code, clean(response.error?.message ?? response.status));
    });
  }
  if (capabilities.resources) {
    server.setRequestHandler('resources/list', (request, ctx) =>
      upstreamCall(ctx.mcpReq.signal, (signal) => upstream.listResources(request.params, { signal })),
    );
    server.setRequestHandler('resources/templates/list', (request, ctx) =>
      upstreamCall(ctx.mcpReq.signal, (signal) => upstream.listResourceTemplates(request.params, { signal })),
    );
    server.setRequestHandler('resources/read', (request, ctx) =>
      upstreamCall(ctx.mcpReq.signal, (signal) => upstream.readResource(request.params, { signal })),
    );
    if (capabilities.resources.subscribe) {
      server.setRequestHandler('resources/subscribe', async ({ params }) => {
        if (!subscribed.has(params.uri) && subscribed.size >= MAX_SUBSCRIPTIONS)
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `At most ${MAX_SUBSCRIPTIONS} subscriptions per session.`);
        await forward(() => deps.subscribeUpstream!(serverId, params.uri));
        subscribed.add(params.uri);
        return {};
      });
      server.setRequestHandler('resources/unsubscribe', ({ params }) => {
        subscribed.delete(params.uri);
        return {};
      });
    }
  }
  if (capabilities.prompts) {
    server.setRequestHandler('prompts/list', (request, ctx) => upstreamCall(ctx.mcpReq.signal, (signal) => upstream.listPrompts(request.params, { signal })));
    server.setRequestHandler('prompts/get', (request, ctx) => upstreamCall(ctx.mcpReq.signal, (signal) => upstream.getPrompt(request.params, { signal })));
  }
  if (capabilities.completions) {
    server.setRequestHandler('completion/complete', (request, ctx) =>
      upstreamCall(ctx.mcpReq.signal, (signal) => upstream.complete(request.params, { signal })),
    );
  }
  return { server, events };
}
