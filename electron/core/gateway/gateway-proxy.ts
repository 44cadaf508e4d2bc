import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode, Server, type ServerCapabilities, type ServerContext } from '@modelcontextprotocol/server';
import type { CallToolResponse, GatewayServerAccess, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { CallVia } from '../tools';
import { scrubDeep, type Scrub } from '../traffic';

// One downstream request, served by a fresh low-level SDK Server (the
// createMcpHandler factory runs per request) that forwards to the managed
// connection: the core's own SDK client for that server, never a second one.
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
  /** The call's signal joined with 2025-era cancellations of its request id on one endpoint (a server id, or the combined endpoint). */
  callSignal(clientId: string, channel: string, requestId: unknown, signal: AbortSignal): { signal: AbortSignal; done: () => void };
  version: string;
}

/** Whether one client may see (and call) one tool of a server. */
export function toolVisible(access: GatewayServerAccess, tool: ToolView, unacknowledged: ReadonlySet<string>): boolean {
  if (unacknowledged.has(tool.name)) return false;
  // MCP Apps: a tool only the server's own app may call is hidden from the model's list (and from downstream clients).
  if (tool.ui && !tool.ui.visibility.includes('model')) return false;
  if (access.deny.includes(tool.name)) return false;
  if (access.allow.length > 0 && !access.allow.includes(tool.name)) return false;
  if (access.hideDestructive && tool.annotations?.destructiveHint === true) return false;
  return true;
}

/** Gateway calls may run long; progress keeps them alive. */
const CALL_TIMEOUT_MS = 30 * 60_000;

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

type CallParams = { arguments?: Record<string, unknown>; _meta?: { progressToken?: string | number } };
type CallContext = Pick<ServerContext, 'mcpReq'>;

/**
 * One tool call, already checked visible, through the core's ToolCalls (History names the client,
 * the real server and the real tool). `channel` keys 2025-era cancellations: the server id, or the combined endpoint.
 */
export async function callThrough(
  deps: ProxyDeps,
  client: { id: string; name: string },
  target: { serverId: string; tool: string; channel: string },
  params: CallParams,
  ctx: CallContext,
): Promise<{ content: [] }> {
  const { serverId, tool } = target;
  const clean = cleaner(deps);
  const progressToken = params._meta?.progressToken;
  const cancel = deps.callSignal(client.id, target.channel, ctx.mcpReq.id, ctx.mcpReq.signal);
  let response: CallToolResponse;
  try {
    response = await deps.callTool(
      { serverId, tool, arguments: params.arguments ?? {}, callId: `gateway:${randomUUID()}`, timeoutMs: CALL_TIMEOUT_MS, skipValidation: false },
      {
        client: client.name,
        signal: cancel.signal,
        onProgress:
          progressToken === undefined
            ? undefined
            : (p) =>
                void ctx.mcpReq
                  .notify({ method: 'notifications/progress', params: clean({ progressToken, progress: p.progress, total: p.total, message: p.message }) })
                  .catch(() => undefined),
      },
    );
  } catch (error) {
    deps.onCall(client.id, { serverId, tool, status: 'error' });
    throw asProtocolError(clean(error instanceof Error ? { code: (error as { code?: unknown }).code, message: error.message } : error));
  } finally {
    cancel.done();
  }
  deps.onCall(client.id, { serverId, tool, status: response.status });
  if ((response.status === 'ok' || response.status === 'tool-error') && response.result) return clean(response.result) as { content: [] };
  if (response.status === 'task')
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      'This tool ran as a task, which Switchboard follows in its Tasks view; tasks are not forwarded through the gateway yet.',
    );
  const code = typeof response.error?.code === 'number' ? response.error.code : ProtocolErrorCode.InternalError;
  throw new ProtocolError(code, clean(response.error?.message ?? response.status));
}

export function buildProxyServer(deps: ProxyDeps, client: { id: string; name: string }, access: GatewayServerAccess): Server {
  const serverId = access.serverId;
  const upstream = deps.upstream(serverId);
  const upstreamCaps = upstream.getServerCapabilities() ?? {};
  const capabilities: ServerCapabilities = {};
  if (upstreamCaps.tools) capabilities.tools = { listChanged: true };
  if (upstreamCaps.resources) capabilities.resources = { listChanged: Boolean(upstreamCaps.resources.listChanged) };
  if (upstreamCaps.prompts) capabilities.prompts = { listChanged: Boolean(upstreamCaps.prompts.listChanged) };
  if (upstreamCaps.completions) capabilities.completions = {};
  const server = new Server({ name: `Switchboard: ${deps.serverName(serverId)}`, version: deps.version }, { capabilities });
  const clean = cleaner(deps);
  const visible = () => {
    const hidden = deps.unacknowledged(serverId);
    return deps.tools(serverId).filter((t) => toolVisible(access, t, hidden));
  };
  const forward = <T>(run: () => Promise<T>): Promise<T> => forwardClean(clean, run);

  if (capabilities.tools) {
    server.setRequestHandler('tools/list', () =>
      clean({
        tools: visible().map((t) => toolEntry(t, t.name)),
      }),
    );
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const name = request.params.name;
      // A filtered or unacknowledged tool does not exist for this client: same answer as an unknown one.
      if (!visible().some((t) => t.name === name)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
      return callThrough(deps, client, { serverId, tool: name, channel: serverId }, request.params, ctx);
    });
  }
  if (capabilities.resources) {
    server.setRequestHandler('resources/list', (request, ctx) => forward(() => upstream.listResources(request.params, { signal: ctx.mcpReq.signal })));
    server.setRequestHandler('resources/templates/list', (request, ctx) =>
      forward(() => upstream.listResourceTemplates(request.params, { signal: ctx.mcpReq.signal })),
    );
    server.setRequestHandler('resources/read', (request, ctx) => forward(() => upstream.readResource(request.params, { signal: ctx.mcpReq.signal })));
  }
  if (capabilities.prompts) {
    server.setRequestHandler('prompts/list', (request, ctx) => forward(() => upstream.listPrompts(request.params, { signal: ctx.mcpReq.signal })));
    server.setRequestHandler('prompts/get', (request, ctx) => forward(() => upstream.getPrompt(request.params, { signal: ctx.mcpReq.signal })));
  }
  if (capabilities.completions) {
    server.setRequestHandler('completion/complete', (request, ctx) => forward(() => upstream.complete(request.params, { signal: ctx.mcpReq.signal })));
  }
  return server;
}
