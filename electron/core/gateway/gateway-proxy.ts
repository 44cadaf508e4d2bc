import { ProtocolError, ProtocolErrorCode, Server, type LoggingMessageNotificationParams, type ServerCapabilities } from '@modelcontextprotocol/server';
import type { GatewayServerAccess, ToolView } from '../../../shared/contract';
import { callThrough, cleaner, forwardClean, linkSignal, SESSION_ENDED, SessionEnd, toolEntry, type CallSession, type ProxyDeps } from './gateway-call';

// A low-level SDK Server that forwards to the managed connection: the core's
// own SDK client for that server, never a second one. Built fresh per request
// (2026-07-28 and stateless 2025 requests: the createMcpHandler factory) or once
// per 2025 session (gateway-sessions.ts), which also gets the upstream's
// notifications through ProxyEvents.
// What a client may see is decided here: its allow and deny lists, the
// destructive switch, and the user's acknowledgement of new or changed tools.

export type { ProxyDeps } from './gateway-call';

/** What a session's proxy hears from the gateway. */
export interface ProxyEvents {
  /** The server's tools may have changed: the client is told only if the tools it sees changed. */
  toolsMaybeChanged(): void;
  /** A notification from an upstream (`serverId`): list changes, log messages, resource updates. */
  upstream(method: string, params: Record<string, unknown> | undefined, serverId: string): void;
  closed(): void;
}

/** Bounds what one session may subscribe to. */
export const MAX_SUBSCRIPTIONS = 1000;

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

export function buildProxyServer(
  deps: ProxyDeps,
  client: { readonly id: string; readonly name: string },
  access: GatewayServerAccess,
  sessionId?: string,
  /** A 2026-07-28 request: resource subscriptions come as listen streams (gateway-listen.ts), not resources/subscribe. */
  modern?: boolean,
): { server: Server; events: ProxyEvents } {
  const serverId = access.serverId;
  const upstream = deps.upstream(serverId);
  const upstreamCaps = upstream.getServerCapabilities() ?? {};
  const capabilities: ServerCapabilities = {};
  if (upstreamCaps.tools) capabilities.tools = { listChanged: true };
  if (upstreamCaps.resources)
    capabilities.resources = {
      listChanged: Boolean(upstreamCaps.resources.listChanged),
      ...((sessionId || modern) && upstreamCaps.resources.subscribe && deps.subscribeUpstream ? { subscribe: true } : {}),
    };
  if (upstreamCaps.prompts) capabilities.prompts = { listChanged: Boolean(upstreamCaps.prompts.listChanged) };
  if (upstreamCaps.completions) capabilities.completions = {};
  // A session gets the upstream's log messages; its logging/setLevel filters them for it alone (the SDK's handler).
  if (sessionId && upstreamCaps.logging) capabilities.logging = {};
  const server = new Server({ name: `Switchboard: ${deps.serverName(serverId)}`, version: deps.version }, { capabilities });
  const clean = cleaner(deps);
  const visible = () => {
    const hidden = deps.unacknowledged(serverId);
    return deps.tools(serverId).filter((t) => toolVisible(access, t, hidden));
  };
  const forward = <T>(run: () => Promise<T>): Promise<T> => forwardClean(clean, run);

  const toolsSignature = () => JSON.stringify(visible());
  let toolsSeen = sessionId && capabilities.tools ? toolsSignature() : '';
  const subscribed = new Set<string>();
  /** A session's calls end with it (revoked, rotated, idle, gateway stopped): its transport does not abort them itself. */
  const ending = sessionId ? new SessionEnd() : undefined;
  const session: CallSession | undefined = ending ? { ending, capabilities: () => server.getClientCapabilities() } : undefined;
  const upstreamCall = async <T>(signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const link = linkSignal(signal, ending);
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
      ending?.end(SESSION_ENDED);
    },
  };

  if (capabilities.tools) {
    server.setRequestHandler('tools/list', () => {
      const list = visible();
      if (sessionId) toolsSeen = JSON.stringify(list);
      return clean({ tools: list.map((t) => toolEntry(t, t.name)) });
    });
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const name = request.params.name;
      // A filtered or unacknowledged tool does not exist for this client: same answer as an unknown one.
      if (!visible().some((t) => t.name === name)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
      return callThrough(deps, client, { serverId, tool: name, channel: serverId }, request.params, ctx, session);
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
    if (capabilities.resources.subscribe && sessionId) {
      server.setRequestHandler('resources/subscribe', async ({ params }) => {
        if (!subscribed.has(params.uri) && subscribed.size >= MAX_SUBSCRIPTIONS)
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `At most ${MAX_SUBSCRIPTIONS} subscriptions per session.`);
        // Counted before the upstream answers (parallel subscribes stay under the cap); an unsubscribe meanwhile wins.
        const added = !subscribed.has(params.uri);
        subscribed.add(params.uri);
        try {
          await forward(() => deps.subscribeUpstream!(serverId, params.uri));
        } catch (error) {
          if (added) subscribed.delete(params.uri);
          throw error;
        }
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
