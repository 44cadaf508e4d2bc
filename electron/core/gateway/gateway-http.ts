import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, localhostAllowedHostnames, validateHostHeader, type McpHttpHandler, type Server } from '@modelcontextprotocol/server';
import type { GatewayServerAccess } from '../../../shared/contract';
import type { HttpExchange } from '../traffic';
import type { GatewayClient } from './gateway-clients';
import { COMBINED_CHANNEL } from './gateway-names';
import type { ProxyEvents } from './gateway-proxy';
import { recordDownstream } from './gateway-exchange';
import { listenedResources, MAX_LISTEN_RESOURCES } from './gateway-listen';
import { CLOSE_GRACE_MS, GatewaySessions } from './gateway-sessions';

// The gateway's HTTP face: 127.0.0.1 only, one Streamable HTTP endpoint per
// server (/s/<serverId>/mcp) and, for clients that have it turned on, one
// combined endpoint (/mcp, gateway-aggregate.ts). 2025-era clients get
// sessions on either (gateway-sessions.ts: an initialize or a request naming a
// session); everything else (2026-07-28, and a 2025 request without a session)
// goes to the SDK's per-request handler, one per client and endpoint. Every request passes, in order: Host (DNS rebinding),
// no browser Origin, the rate limit on failed attempts, the bearer token, the
// client's access to that server, the per-client cap on open requests and the
// body size limit. No CORS: nothing here ever answers with Access-Control-*.

export interface GatewayLimits {
  /** Bytes of one request body. */
  maxBodyBytes: number;
  /** Requests and streams one client may have open at once. */
  maxOpenPerClient: number;
  /** Failed authentication attempts per remote address within `failureWindowMs` before it is refused outright. */
  maxFailures: number;
  failureWindowMs: number;
  /** 2025-era sessions one client may have open at once. */
  maxSessionsPerClient: number;
  /** A session with nothing open for this long ends. */
  sessionIdleMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxBodyBytes: 1024 * 1024,
  maxOpenPerClient: 64,
  maxFailures: 10,
  failureWindowMs: 60_000,
  maxSessionsPerClient: 16,
  sessionIdleMs: 30 * 60_000,
};

export interface GatewayHttpDeps {
  verify(token: string | undefined): GatewayClient | undefined;
  /** False when the server is not connected (503). */
  isConnected(serverId: string): boolean;
  /** The MCP server for one request (the SDK handler's factory), or for one 2025 session. */
  build(client: GatewayClient, access: GatewayServerAccess, sessionId?: string, modern?: boolean): { server: Server; events: ProxyEvents };
  /** The combined endpoint's MCP server for one request of a client that has it turned on, or for one 2025 session. */
  buildCombined(client: GatewayClient, sessionId?: string): { server: Server; events: ProxyEvents };
  /** The server one combined-endpoint message goes to, when its name says so (its traffic view gets the downstream leg). */
  combinedTarget?(client: GatewayClient, message: unknown): string | undefined;
  /** What one client sees of a server's tools, as a string that changes when that does. */
  toolsSignature(clientId: string, serverId: string): string;
  onFailure(remote: string, reason: string): void;
  onOpenChanged(): void;
  onError(error: Error): void;
  /** The downstream leg, for the server's traffic view (the recorder redacts the token). */
  onExchange?(serverId: string, exchange: HttpExchange): void;
  /** The managed connection subscribes to a resource (a 2026-07-28 listen stream asked for its updates). */
  subscribeUpstream?(serverId: string, uri: string): Promise<void>;
}

const ROUTE = /^\/s\/([^/?#]{1,64})\/mcp\/?(?:\?.*)?$/;
/** The combined endpoint: every server the client may use, in one. */
export const COMBINED_PATH = '/mcp';
const COMBINED_ROUTE = /^\/mcp\/?(?:\?.*)?$/;

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export class GatewayHttp {
  private server?: HttpServer;
  private port = 0;
  /** The per-request handler by client and endpoint (its listen streams are that client's, so list changes are filtered per client). */
  private readonly handlers = new Map<
    string,
    { clientId: string; channel: string; handler: McpHttpHandler; node: ReturnType<typeof toNodeHandler>; tools?: string }
  >();
  readonly sessions: GatewaySessions;
  private readonly sessionResponses = new WeakSet<ServerResponse>();
  /** Open responses by client id: counted for the cap, destroyed when the client is revoked. */
  private readonly open = new Map<string, Set<ServerResponse>>();
  private readonly failures = new Map<string, number[]>();
  /** Tool calls in flight by client, server and JSON-RPC id: a 2025-era notifications/cancelled arrives as its own stateless POST. */
  private readonly inflight = new Map<string, AbortController>();

  constructor(
    private readonly deps: GatewayHttpDeps,
    private readonly limits: GatewayLimits = DEFAULT_LIMITS,
  ) {
    this.sessions = new GatewaySessions(
      {
        build: (client, channel, sessionId) =>
          channel === COMBINED_CHANNEL
            ? deps.buildCombined(client, sessionId)
            : deps.build(
                client,
                client.servers.find((s) => s.serverId === channel)!,
                sessionId,
              ),
        onChanged: () => deps.onOpenChanged(),
        onRefused: (remote, reason) => deps.onFailure(remote, reason),
        onError: (error) => deps.onError(error),
        now: () => Date.now(),
      },
      limits,
    );
  }

  get address(): string | undefined {
    return this.server ? `http://127.0.0.1:${this.port}` : undefined;
  }

  openCount(clientId: string): number {
    return this.open.get(clientId)?.size ?? 0;
  }

  async start(port: number | undefined): Promise<string> {
    if (this.server) return this.address!;
    const server = createServer((req, res) => this.handle(req, res));
    server.headersTimeout = 10_000;
    server.requestTimeout = 0; // tool calls and listen streams may run long; bodies are bounded by size
    // Idle keep-alive sockets stay longer than Node's 5 s: a client reuses a socket until the server's hint minus a margin,
    // and on a busy event loop its timer fires late, so a socket closed at 5 s met a new request (ECONNRESET in bursts).
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: never 0.0.0.0, never ::.
      server.listen(port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.address!;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const clientId of [...this.open.keys()]) this.endClient(clientId);
    this.sessions.endAll();
    await Promise.all([...this.handlers.values()].map(({ handler }) => handler.close().catch(() => undefined)));
    this.handlers.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Ends every open request and stream of a client at once (revoked, rotated or its access changed). */
  endClient(clientId: string): void {
    const open = [...(this.open.get(clientId) ?? [])];
    this.open.delete(clientId);
    // A session's calls answer with an error on their streams, then the streams close; any other request is cut off now.
    this.sessions.endClient(clientId);
    for (const res of open) if (!this.sessionResponses.has(res)) res.destroy();
    const rest = open.filter((res) => this.sessionResponses.has(res));
    if (rest.length) setTimeout(() => rest.forEach((res) => res.destroy()), CLOSE_GRACE_MS + 100).unref();
    for (const [key, entry] of this.handlers)
      if (entry.clientId === clientId) {
        this.handlers.delete(key);
        void entry.handler.close().catch(() => undefined);
      }
    this.deps.onOpenChanged();
  }

  /**
   * A server's tools may have changed: each client whose visible tools changed is told (sessions and listen
   * streams), and the combined endpoint's listen streams of every client that may use the server.
   */
  toolsChanged(serverId: string): void {
    for (const session of this.sessions.forServer(serverId)) session.events.toolsMaybeChanged();
    for (const entry of this.handlers.values()) {
      if (entry.channel === COMBINED_CHANNEL) {
        if (this.currentClient(entry.clientId)?.servers.some((s) => s.serverId === serverId)) entry.handler.notify.toolsChanged();
        continue;
      }
      if (entry.channel !== serverId) continue;
      const now = this.deps.toolsSignature(entry.clientId, serverId);
      if (entry.tools === now) continue;
      entry.tools = now;
      entry.handler.notify.toolsChanged();
    }
  }

  /** A notification from an upstream, for the sessions and listen streams of that server (the combined endpoint lists no resource or prompt changes). */
  upstreamNotification(serverId: string, method: string, params: Record<string, unknown> | undefined): void {
    for (const session of this.sessions.forServer(serverId)) session.events.upstream(method, params, serverId);
    for (const entry of this.handlers.values()) {
      if (entry.channel !== serverId) continue;
      if (method === 'notifications/resources/list_changed') entry.handler.notify.resourcesChanged();
      else if (method === 'notifications/prompts/list_changed') entry.handler.notify.promptsChanged();
      // Reaches only the listen streams that asked for this URI (the SDK's router filters).
      else if (method === 'notifications/resources/updated' && typeof params?.uri === 'string') entry.handler.notify.resourceUpdated(params.uri);
    }
  }

  sessionCount(clientId: string): number {
    return this.sessions.countFor(clientId);
  }

  private remoteOf(req: IncomingMessage): string {
    return req.socket.remoteAddress ?? 'unknown';
  }

  private limited(remote: string): boolean {
    const now = Date.now();
    const recent = (this.failures.get(remote) ?? []).filter((t) => now - t < this.limits.failureWindowMs);
    this.failures.set(remote, recent);
    return recent.length >= this.limits.maxFailures;
  }

  private fail(req: IncomingMessage, res: ServerResponse, reason: string): void {
    const remote = this.remoteOf(req);
    const list = this.failures.get(remote) ?? [];
    list.push(Date.now());
    if (list.length > this.limits.maxFailures * 2) list.splice(0, list.length - this.limits.maxFailures * 2);
    this.failures.set(remote, list);
    if (this.failures.size > 1000) this.failures.delete(this.failures.keys().next().value!);
    this.deps.onFailure(remote, reason);
    refuse(res, 401, 'A valid gateway token is required (Authorization: Bearer <token>).', { 'www-authenticate': 'Bearer realm="switchboard-gateway"' });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // DNS rebinding: the Host must name this machine, with our port.
    const host = validateHostHeader(req.headers.host, localhostAllowedHostnames());
    const port = /:(\d+)$/.exec(req.headers.host ?? '')?.[1];
    if (!host.ok || Number(port) !== this.port) return refuse(res, 403, 'Forbidden: the Host header must be 127.0.0.1, localhost or [::1] with this port.');
    // A browser: no web page may use the gateway, whatever its origin.
    if (req.headers.origin !== undefined) return refuse(res, 403, 'Forbidden: requests from web pages are refused.');
    if (req.method === 'OPTIONS') return refuse(res, 405, 'Method not allowed.');
    const route = ROUTE.exec(req.url ?? '');
    const combined = !route && COMBINED_ROUTE.test(req.url ?? '');
    if (!route && !combined) return refuse(res, 404, 'Not found. Endpoints are /s/<serverId>/mcp, and /mcp for clients with one combined endpoint.');
    const remote = this.remoteOf(req);
    if (this.limited(remote)) return refuse(res, 429, 'Too many failed attempts. Try again in a minute.', { 'retry-after': '60' });
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && /^Bearer [A-Za-z0-9._~+/=-]{1,200}$/.test(auth) ? auth.slice(7) : undefined;
    const client = this.deps.verify(token);
    if (!client) return this.fail(req, res, token ? 'wrong or revoked token' : 'no token');
    if (!route) {
      if (!client.combined)
        return refuse(res, 403, 'This client has no combined endpoint. Turn on “One combined endpoint” for it in Switchboard’s Gateway view.');
      return this.checkBodyThenAdmit(req, res, client, COMBINED_CHANNEL);
    }
    let serverId: string;
    try {
      serverId = decodeURIComponent(route[1]!);
    } catch {
      return refuse(res, 404, 'Not found.');
    }
    if (serverId === COMBINED_CHANNEL) return refuse(res, 404, 'Not found.');
    const access = client.servers.find((s) => s.serverId === serverId);
    if (!access) return refuse(res, 403, 'This client may not use this server. Allow it in Switchboard’s Gateway view.');
    if (!this.deps.isConnected(serverId)) return refuse(res, 503, 'This server is not running in Switchboard. Start it there first.');
    this.checkBodyThenAdmit(req, res, client, serverId);
  }

  /** `channel`: a server id, or COMBINED_CHANNEL for the combined endpoint. */
  private checkBodyThenAdmit(req: IncomingMessage, res: ServerResponse, client: GatewayClient, channel: string): void {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.limits.maxBodyBytes) return refuse(res, 413, 'Request body too large.');
    void this.admit(req, res, client, channel);
  }

  /** A call's signal that also fires on a 2025-era cancellation naming its request id. */
  callSignal(clientId: string, channel: string, requestId: unknown, signal: AbortSignal): { signal: AbortSignal; done: () => void } {
    const key = `${clientId}\n${channel}\n${JSON.stringify(requestId)}`;
    const controller = new AbortController();
    this.inflight.set(key, controller);
    return { signal: AbortSignal.any([signal, controller.signal]), done: () => this.inflight.get(key) === controller && this.inflight.delete(key) };
  }

  private async admit(req: IncomingMessage, res: ServerResponse, client: GatewayClient, channel: string): Promise<void> {
    let parsedBody: unknown;
    if (req.method === 'POST') {
      const body = await this.readBody(req);
      if (body === 'too-large') return refuse(res, 413, 'Request body too large.');
      if (body === undefined) return;
      try {
        parsedBody = JSON.parse(body.toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
        return;
      }
      for (const message of Array.isArray(parsedBody) ? parsedBody : [parsedBody]) {
        const m = message as { method?: unknown; params?: { requestId?: unknown } } | null;
        if (m?.method === 'notifications/cancelled')
          this.inflight.get(`${client.id}\n${channel}\n${JSON.stringify(m.params?.requestId)}`)?.abort('Cancelled by the client.');
      }
    }
    if (res.destroyed) return;
    const recordAs = channel === COMBINED_CHANNEL ? this.deps.combinedTarget?.(client, parsedBody) : channel;
    if (recordAs !== undefined && this.deps.onExchange) recordDownstream(this.deps.onExchange, this.address, req, res, client, recordAs, parsedBody);
    const open = this.open.get(client.id) ?? new Set<ServerResponse>();
    if (open.size >= this.limits.maxOpenPerClient) return refuse(res, 429, 'Too many open requests for this client.');
    open.add(res);
    this.open.set(client.id, open);
    this.deps.onOpenChanged();
    res.once('close', () => {
      const set = this.open.get(client.id);
      if (set?.delete(res)) this.deps.onOpenChanged();
    });
    (req as IncomingMessage & { auth?: unknown }).auth = { token: '', clientId: client.id, scopes: [], extra: { serverId: channel } };
    if (GatewaySessions.claims(req, parsedBody)) {
      this.sessionResponses.add(res);
      void this.sessions.handle(req, res, client, channel, parsedBody, this.remoteOf(req)).catch((error: Error) => this.deps.onError(error));
      return;
    }
    const uris = channel === COMBINED_CHANNEL ? [] : listenedResources(parsedBody);
    if (uris.length > MAX_LISTEN_RESOURCES) return refuse(res, 400, `At most ${MAX_LISTEN_RESOURCES} resource subscriptions per listen stream.`);
    // Subscribed upstream before the stream opens, so no update is missed; a refusal leaves that URI without updates.
    void Promise.all(uris.map((uri) => this.deps.subscribeUpstream?.(channel, uri).catch(() => undefined)))
      .then(() => {
        // Revoked, rotated or stopped while subscribing: nothing is served (and no handler is made for it).
        if (res.destroyed || !this.server || !this.open.get(client.id)?.has(res)) return;
        return this.handlerFor(client.id, channel).node(req, res, parsedBody);
      })
      .catch((error: Error) => this.deps.onError(error));
  }

  /** The body, at most maxBodyBytes (else 'too-large'); undefined when the request went away. */
  private readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | undefined> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.limits.maxBodyBytes) {
          req.removeAllListeners('data');
          req.resume();
          resolve('too-large');
        } else chunks.push(chunk);
      });
      req.once('end', () => resolve(size > this.limits.maxBodyBytes ? 'too-large' : Buffer.concat(chunks)));
      req.once('error', () => resolve(undefined));
      req.once('close', () => resolve(undefined));
    });
  }

  /** `channel`: a server id, or COMBINED_CHANNEL. */
  private handlerFor(clientId: string, channel: string) {
    const key = `${clientId}\n${channel}`;
    let entry = this.handlers.get(key);
    if (!entry) {
      const handler = createMcpHandler(
        async ({ authInfo, era }) => {
          // Re-read per request: a client's access may have changed since its token was checked.
          const clientId = authInfo?.clientId;
          const client = clientId ? this.currentClient(clientId) : undefined;
          if (channel === COMBINED_CHANNEL) {
            if (!client?.combined) throw new Error('This client no longer has a combined endpoint.');
            return this.deps.buildCombined(client).server;
          }
          const access = client?.servers.find((s) => s.serverId === channel);
          if (!client || !access) throw new Error('This client may no longer use this server.');
          return this.deps.build(client, access, undefined, era === 'modern').server;
        },
        { legacy: 'stateless', maxRequestBodySize: this.limits.maxBodyBytes, onerror: (e) => this.deps.onError(e) },
      );
      entry = {
        clientId,
        channel,
        handler,
        node: toNodeHandler(handler, { maxRequestBodySize: this.limits.maxBodyBytes, onerror: (e) => this.deps.onError(e) }),
        ...(channel === COMBINED_CHANNEL ? {} : { tools: this.deps.toolsSignature(clientId, channel) }),
      };
      this.handlers.set(key, entry);
    }
    return entry;
  }

  /** Set by the service: the client as stored now. */
  currentClient: (clientId: string) => GatewayClient | undefined = () => undefined;
}
