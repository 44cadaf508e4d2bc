import type { Client } from '@modelcontextprotocol/client';
import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  UriTemplate,
  type LoggingMessageNotificationParams,
  type ServerCapabilities,
} from '@modelcontextprotocol/server';
import type { GatewayServerAccess, ToolView } from '../../../shared/contract';
import type { GatewayClient } from './gateway-clients';
import { assignPrefixes, COMBINED_CHANNEL, combinedNames, prefixOfCombined } from './gateway-names';
import { callThrough, cleaner, forwardClean, SESSION_ENDED, SessionEnd, toolEntry, type CallSession, type ProxyDeps } from './gateway-call';
import { MAX_SUBSCRIPTIONS, toolVisible, type ProxyEvents } from './gateway-proxy';

// The combined endpoint (/mcp): one MCP server per request that serves the
// union of a client's servers. Tools and prompts are `<prefix>__<name>`
// (gateway-names.ts); each tool passes the same filters as on its server's own
// endpoint, and a call goes to that server's managed connection, recorded under
// the real server and tool. Resources keep their URIs: a read goes to the one
// server that lists the URI (or whose template matches it); a URI that two
// servers claim is left out of the list and refused as ambiguous. Servers that
// are not connected are skipped.
// Built per request, or once per 2025 session (gateway-sessions.ts): a session
// reads which servers are up at each request, is told tools/list_changed when
// the combined list it sees changes, gets the log messages of its servers
// (the logger names the server's prefix), and may subscribe to a resource on
// the server that owns its URI (only that server's updates of it reach it).

export interface AggregateDeps extends ProxyDeps {
  isConnected(serverId: string): boolean;
  knownServer(serverId: string): boolean;
}

/** Pages read from one upstream for one combined list, and the items kept from it. */
const MAX_PAGES = 20;
const MAX_ITEMS = 10_000;

export interface CombinedServer {
  serverId: string;
  name: string;
  prefix: string;
  access: GatewayServerAccess;
}

/** The client's servers with their prefixes: every server it may use, connected or not, so a prefix never shifts when another server stops. */
export function combinedServers(deps: Pick<AggregateDeps, 'knownServer' | 'serverName'>, client: Pick<GatewayClient, 'servers'>): CombinedServer[] {
  const known = client.servers.filter((a) => deps.knownServer(a.serverId));
  const prefixes = assignPrefixes(known.map((a) => ({ id: a.serverId, name: deps.serverName(a.serverId) })));
  return known.map((access) => ({ serverId: access.serverId, name: deps.serverName(access.serverId), prefix: prefixes.get(access.serverId)!, access }));
}

/** Combined tool name → the tool, for one server: names from all its tools (so filters never rename one), entries for the visible ones only. */
function toolsOf(deps: AggregateDeps, server: CombinedServer): Map<string, ToolView> {
  const tools = deps.tools(server.serverId);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const hidden = deps.unacknowledged(server.serverId);
  const out = new Map<string, ToolView>();
  for (const [full, name] of combinedNames(
    server.prefix,
    tools.map((t) => t.name),
  )) {
    const tool = byName.get(name)!;
    if (toolVisible(server.access, tool, hidden)) out.set(full, tool);
  }
  return out;
}

/** The server a combined name (tool or prompt) belongs to, by its prefix. */
function serverByName(servers: CombinedServer[], name: string): CombinedServer | undefined {
  const prefix = prefixOfCombined(name);
  return prefix === undefined ? undefined : servers.find((s) => s.prefix === prefix);
}

/** The server a request on the combined endpoint goes to, when one name says so (for the traffic view). */
export function combinedTarget(deps: AggregateDeps, client: GatewayClient, message: unknown): string | undefined {
  const m = message as { method?: unknown; params?: { name?: unknown; ref?: { type?: unknown; name?: unknown } } } | null;
  const name =
    m?.method === 'tools/call' || m?.method === 'prompts/get'
      ? m.params?.name
      : m?.method === 'completion/complete' && m.params?.ref?.type === 'ref/prompt'
        ? m.params.ref.name
        : undefined;
  return typeof name === 'string' ? serverByName(combinedServers(deps, client), name)?.serverId : undefined;
}

async function allPages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && items.length < MAX_ITEMS; page++) {
    const got = await read(cursor);
    items.push(...got.items.slice(0, MAX_ITEMS - items.length));
    if (!got.nextCursor || got.nextCursor === cursor) break;
    cursor = got.nextCursor;
  }
  return items;
}

/** The client's servers, and those of them connected now with their managed connections. */
function liveState(deps: AggregateDeps, client: Pick<GatewayClient, 'servers'>) {
  const servers = combinedServers(deps, client);
  const upstreams = new Map<string, Client>();
  for (const s of servers) {
    if (!deps.isConnected(s.serverId)) continue;
    try {
      upstreams.set(s.serverId, deps.upstream(s.serverId));
    } catch {
      // It stopped between the check and now: skipped like any server that is not connected.
    }
  }
  const live = servers.filter((s) => upstreams.has(s.serverId));
  return { servers, live, upstreams };
}

export function buildCombinedServer(deps: AggregateDeps, client: GatewayClient, sessionId?: string): { server: Server; events: ProxyEvents } {
  const clean = cleaner(deps);
  // A request's server reads the state once; a session reads it at each request (servers go up and down during it).
  const first = liveState(deps, client);
  const state = sessionId ? () => liveState(deps, client) : () => first;
  const withCap = (cap: 'resources' | 'prompts' | 'completions') => {
    const { live, upstreams } = state();
    return live.filter((s) => Boolean(upstreams.get(s.serverId)?.getServerCapabilities()?.[cap])).map((s) => ({ ...s, upstream: upstreams.get(s.serverId)! }));
  };
  const servers = first.servers;
  // A session may subscribe to a resource when a server it can reach offers subscriptions (the owner of the URI is found per request).
  const subscribable = Boolean(
    sessionId && deps.subscribeUpstream && first.live.some((s) => first.upstreams.get(s.serverId)?.getServerCapabilities()?.resources?.subscribe),
  );
  const capabilities: ServerCapabilities = {
    tools: { listChanged: true },
    resources: { listChanged: false, ...(subscribable ? { subscribe: true } : {}) },
    prompts: { listChanged: false },
  };
  if (withCap('completions').length > 0) capabilities.completions = {};
  if (sessionId) capabilities.logging = {};
  const instructions = servers.length
    ? `Switchboard combines several MCP servers here. Tool and prompt names are <server>__<name>; the servers: ${servers
        .map((s) => `${s.prefix} = ${s.name}`)
        .join('; ')
        .slice(0, 4000)}.`
    : undefined;
  const server = new Server(
    { name: 'Switchboard (combined)', version: deps.version },
    { capabilities, ...(instructions ? { instructions: clean(instructions) } : {}) },
  );
  const notFound = (name: string, owner: CombinedServer | undefined, running: boolean) =>
    new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      owner && !running ? `Tool ${name} not found: ${owner.name} is not running in Switchboard` : `Tool ${name} not found`,
    );
  const toolList = () => state().live.flatMap((s) => [...toolsOf(deps, s)].map(([full, tool]) => toolEntry(tool, full)));

  const ending = sessionId ? new SessionEnd() : undefined;
  const session: CallSession | undefined = ending ? { ending, capabilities: () => server.getClientCapabilities() } : undefined;
  /** This session's subscriptions: URI → the server it was subscribed on (only that server's updates reach it). */
  const subscribed = new Map<string, string>();
  let toolsSeen = sessionId ? JSON.stringify(toolList()) : '';
  const events: ProxyEvents = {
    toolsMaybeChanged() {
      const now = JSON.stringify(toolList());
      if (now === toolsSeen) return;
      toolsSeen = now;
      void server.notification({ method: 'notifications/tools/list_changed' }).catch(() => undefined);
    },
    upstream(method, params, serverId) {
      if (method === 'notifications/resources/updated' && typeof params?.uri === 'string' && subscribed.get(params.uri) === serverId) {
        void server.notification({ method, params: clean({ uri: params.uri }) }).catch(() => undefined);
        return;
      }
      const from = servers.find((s) => s.serverId === serverId);
      if (method !== 'notifications/message' || !sessionId || !params || !from) return;
      const logger = typeof params.logger === 'string' ? `${from.prefix}/${params.logger}` : from.prefix;
      void server.sendLoggingMessage(clean({ ...params, logger }) as LoggingMessageNotificationParams, sessionId).catch(() => undefined);
    },
    closed() {
      subscribed.clear();
      ending?.end(SESSION_ENDED);
    },
  };

  server.setRequestHandler('tools/list', () => {
    const tools = toolList();
    if (sessionId) toolsSeen = JSON.stringify(tools);
    return clean({ tools });
  });
  server.setRequestHandler('tools/call', (request, ctx) => {
    const name = request.params.name;
    const owner = serverByName(servers, name);
    const running = Boolean(owner && state().upstreams.has(owner.serverId));
    // Unknown, filtered and unacknowledged tools get one answer: not found.
    const tool = owner && running ? toolsOf(deps, owner).get(name) : undefined;
    if (!owner || !tool) throw notFound(name, owner, running);
    return callThrough(deps, client, { serverId: owner.serverId, tool: tool.name, channel: COMBINED_CHANNEL }, request.params, ctx, session);
  });

  // Prompts: namespaced like tools.
  const promptsOf = async (s: CombinedServer & { upstream: Client }, signal: AbortSignal) => {
    const prompts = await allPages((cursor) =>
      s.upstream.listPrompts(cursor ? { cursor } : undefined, { signal }).then((r) => ({ items: r.prompts, nextCursor: r.nextCursor })),
    );
    const byName = new Map(prompts.map((p) => [p.name, p]));
    return new Map(
      [
        ...combinedNames(
          s.prefix,
          prompts.map((p) => p.name),
        ),
      ].map(([full, name]) => [full, byName.get(name)!]),
    );
  };
  const promptOwner = (name: string) => {
    const owner = serverByName(servers, name);
    const withPrompts = owner && withCap('prompts').find((s) => s.serverId === owner.serverId);
    if (!withPrompts) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${name} not found`);
    return withPrompts;
  };
  const upstreamPromptName = async (name: string, signal: AbortSignal) => {
    const owner = promptOwner(name);
    const prompt = (await forwardClean(clean, () => promptsOf(owner, signal))).get(name);
    if (!prompt) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt ${name} not found`);
    return { owner, upstreamName: prompt.name };
  };
  server.setRequestHandler('prompts/list', async (_request, ctx) => {
    const lists = await Promise.all(
      withCap('prompts').map((s) =>
        promptsOf(s, ctx.mcpReq.signal).then(
          (m) => [...m].map(([full, p]) => ({ ...p, name: full })),
          () => [], // One server failing leaves the others listed.
        ),
      ),
    );
    return clean({ prompts: lists.flat() });
  });
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const { owner, upstreamName } = await upstreamPromptName(request.params.name, ctx.mcpReq.signal);
    return forwardClean(clean, () => owner.upstream.getPrompt({ ...request.params, name: upstreamName }, { signal: ctx.mcpReq.signal }));
  });

  // Resources: URIs as they are; each belongs to the one server that claims it.
  const resourceLists = (signal: AbortSignal) =>
    Promise.all(
      withCap('resources').map(async (s) => ({
        s,
        resources: await allPages((cursor) =>
          s.upstream.listResources(cursor ? { cursor } : undefined, { signal }).then((r) => ({ items: r.resources, nextCursor: r.nextCursor })),
        ).catch(() => []),
        templates: await allPages((cursor) =>
          s.upstream.listResourceTemplates(cursor ? { cursor } : undefined, { signal }).then((r) => ({ items: r.resourceTemplates, nextCursor: r.nextCursor })),
        ).catch(() => []),
      })),
    );
  /** Keys claimed by exactly one server. */
  const single = <T>(lists: { s: CombinedServer; items: T[] }[], key: (item: T) => string) => {
    const owners = new Map<string, Set<string>>();
    for (const { s, items } of lists) for (const item of items) owners.set(key(item), (owners.get(key(item)) ?? new Set()).add(s.serverId));
    return (item: T) => owners.get(key(item))!.size === 1;
  };
  server.setRequestHandler('resources/list', async (_request, ctx) => {
    const lists = (await resourceLists(ctx.mcpReq.signal)).map(({ s, resources }) => ({ s, items: resources }));
    const ok = single(lists, (r) => r.uri);
    return clean({ resources: lists.flatMap(({ items }) => items.filter(ok)) });
  });
  server.setRequestHandler('resources/templates/list', async (_request, ctx) => {
    const lists = (await resourceLists(ctx.mcpReq.signal)).map(({ s, templates }) => ({ s, items: templates }));
    const ok = single(lists, (t) => t.uriTemplate);
    return clean({ resourceTemplates: lists.flatMap(({ items }) => items.filter(ok)) });
  });
  /** The one server a URI belongs to: the one that lists it, else the one whose template matches it; two claimants is an error. */
  const resourceOwner = async (uri: string, signal: AbortSignal) => {
    const lists = await resourceLists(signal);
    let owners = lists.filter(({ resources }) => resources.some((r) => r.uri === uri));
    if (owners.length === 0) owners = lists.filter(({ templates }) => templates.some((t) => matches(t.uriTemplate, uri)));
    if (owners.length > 1)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        clean(
          `Resource ${uri} is ambiguous here: ${owners.map(({ s }) => s.name).join(' and ')} both have it. Use one server's own endpoint (/s/<server id>/mcp).`,
        ),
      );
    const owner = owners[0];
    if (!owner) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${uri} not found`);
    return owner.s;
  };
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const owner = await resourceOwner(request.params.uri, ctx.mcpReq.signal);
    return forwardClean(clean, () => owner.upstream.readResource(request.params, { signal: ctx.mcpReq.signal }));
  });
  if (subscribable) {
    server.setRequestHandler('resources/subscribe', async ({ params }, ctx) => {
      const owner = await resourceOwner(params.uri, ctx.mcpReq.signal);
      if (!owner.upstream.getServerCapabilities()?.resources?.subscribe)
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, clean(`${owner.name} does not offer resource subscriptions.`));
      if (!subscribed.has(params.uri) && subscribed.size >= MAX_SUBSCRIPTIONS)
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `At most ${MAX_SUBSCRIPTIONS} subscriptions per session.`);
      // Counted before the upstream answers (parallel subscribes stay under the cap); an unsubscribe meanwhile wins.
      const added = !subscribed.has(params.uri);
      subscribed.set(params.uri, owner.serverId);
      try {
        await forwardClean(clean, () => deps.subscribeUpstream!(owner.serverId, params.uri));
      } catch (error) {
        if (added && subscribed.get(params.uri) === owner.serverId) subscribed.delete(params.uri);
        throw error;
      }
      return {};
    });
    server.setRequestHandler('resources/unsubscribe', ({ params }) => {
      subscribed.delete(params.uri);
      return {};
    });
  }

  if (capabilities.completions)
    server.setRequestHandler('completion/complete', async (request, ctx) => {
      const ref = request.params.ref;
      if (ref.type === 'ref/prompt') {
        const { owner, upstreamName } = await upstreamPromptName(ref.name, ctx.mcpReq.signal);
        return forwardClean(clean, () => owner.upstream.complete({ ...request.params, ref: { ...ref, name: upstreamName } }, { signal: ctx.mcpReq.signal }));
      }
      const completing = new Set(withCap('completions').map((s) => s.serverId));
      const owners = (await resourceLists(ctx.mcpReq.signal)).filter(
        ({ s, templates }) => completing.has(s.serverId) && templates.some((t) => t.uriTemplate === ref.uri),
      );
      const owner = owners.length === 1 ? owners[0] : undefined;
      if (!owner) return { completion: { values: [] } };
      return forwardClean(clean, () => owner.s.upstream.complete(request.params, { signal: ctx.mcpReq.signal }));
    });
  return { server, events };
}

function matches(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false; // A template the SDK refuses claims nothing.
  }
}
