import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest, type Server } from '@modelcontextprotocol/server';
import type { GatewayClient } from './gateway-clients';
import { COMBINED_CHANNEL } from './gateway-names';
import type { ProxyEvents } from './gateway-proxy';

// Sessions for 2025-era downstream clients: an `initialize` opens one (the SDK's
// streamable HTTP server transport with a session id generator), served by one
// proxy Server for its whole life, so the server can send it notifications
// (list changes, log messages, resource updates) on its GET stream and requests
// (elicitation, sampling) on a call's stream. A session belongs to the client
// whose token created it and to the endpoint it was made on (a server's own, or
// the combined /mcp): its id with another client's token, or on another
// endpoint, is refused exactly like an unknown id. Sessions end on DELETE, when the client is revoked,
// rotated or its access changes, when idle too long, and when the gateway stops.

export interface SessionLimits {
  /** Sessions one client may have open at once. */
  maxSessionsPerClient: number;
  /** A session with no open request or stream for this long ends. */
  sessionIdleMs: number;
  maxBodyBytes: number;
}

export interface SessionDeps {
  /** The proxy for one session on one endpoint (a server id, or COMBINED_CHANNEL). */
  build(client: GatewayClient, channel: string, sessionId: string): { server: Server; events: ProxyEvents };
  onChanged(): void;
  /** A valid token presented with a session id it does not own (shown with the failed attempts). */
  onRefused(remote: string, reason: string): void;
  onError(error: Error): void;
  now(): number;
}

export interface GatewaySession {
  readonly id: string;
  readonly clientId: string;
  /** The endpoint: a server id, or COMBINED_CHANNEL. */
  readonly channel: string;
  /** The servers it hears from (its client's, at its start: a change of access ends the session). */
  readonly serverIds: ReadonlySet<string>;
  readonly createdAt: number;
  lastSeen: number;
  /** Requests and streams of this session open now. */
  open: number;
  server: Server;
  events: ProxyEvents;
  transport: NodeStreamableHTTPServerTransport;
}

const SESSION_HEADER = 'mcp-session-id';
/** How long an ending session's calls have to send their error answer before its streams close. */
export const CLOSE_GRACE_MS = 200;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export class GatewaySessions {
  private readonly sessions = new Map<string, GatewaySession>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly deps: SessionDeps,
    private readonly limits: SessionLimits,
  ) {}

  /** Whether a request is the session leg's: it names a session, or it is a 2025-era `initialize`. */
  static claims(req: IncomingMessage, body: unknown): boolean {
    if (typeof req.headers[SESSION_HEADER] === 'string') return true;
    if (req.method !== 'POST') return false;
    return Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
  }

  countFor(clientId: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.clientId === clientId) n++;
    return n;
  }

  /** Sessions that hear from one server: on its own endpoint, or on the combined one of a client that may use it. */
  forServer(serverId: string): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.channel === serverId || (s.channel === COMBINED_CHANNEL && s.serverIds.has(serverId)));
  }

  async handle(req: IncomingMessage, res: ServerResponse, client: GatewayClient, channel: string, body: unknown, remote: string): Promise<void> {
    const header = req.headers[SESSION_HEADER];
    if (typeof header === 'string') {
      const session = this.sessions.get(header);
      if (!session || session.clientId !== client.id || session.channel !== channel) {
        // Someone else's session answers exactly like an unknown one: nothing tells the caller it exists.
        if (session) this.deps.onRefused(remote, 'a session id that belongs to another client or server');
        return refuse(res, 404, 'Session not found. Start a new session (initialize).');
      }
      return this.serve(session, req, res, body);
    }
    if (this.countFor(client.id) >= this.limits.maxSessionsPerClient)
      return refuse(res, 429, `Too many open sessions for this client (at most ${this.limits.maxSessionsPerClient}). Close one, or wait for idle ones to end.`);
    const id = randomUUID();
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessionclosed: () => this.end(id),
      maxRequestBodySize: this.limits.maxBodyBytes,
    });
    transport.onclose = () => this.end(id);
    const { server, events } = this.deps.build(client, channel, id);
    const now = this.deps.now();
    const session: GatewaySession = {
      id,
      clientId: client.id,
      channel,
      serverIds: new Set(client.servers.map((s) => s.serverId)),
      createdAt: now,
      lastSeen: now,
      open: 0,
      server,
      events,
      transport,
    };
    // Counted from now, so concurrent initializes cannot pass the cap together.
    this.sessions.set(id, session);
    this.startSweeper();
    try {
      await server.connect(transport);
      await this.serve(session, req, res, body);
    } catch (error) {
      this.deps.onError(error as Error);
    }
    // A refused or malformed initialize opened nothing.
    if (transport.sessionId !== id) this.end(id);
    else this.deps.onChanged();
  }

  /** Ends one session: its streams close and its proxy is dropped. */
  end(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    // Calls in flight answer with an error first: a stream cut off mid-call leaves an SDK client waiting for its timeout.
    session.events.closed();
    const close = () => void session.server.close().catch(() => undefined);
    if (session.open > 0) setTimeout(close, CLOSE_GRACE_MS).unref();
    else close();
    if (this.sessions.size === 0) this.stopSweeper();
    this.deps.onChanged();
  }

  /** Ends every session of one client (revoked, rotated, access changed). */
  endClient(clientId: string): void {
    for (const s of [...this.sessions.values()]) if (s.clientId === clientId) this.end(s.id);
  }

  endAll(): void {
    for (const id of [...this.sessions.keys()]) this.end(id);
    this.stopSweeper();
  }

  private async serve(session: GatewaySession, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    session.open++;
    session.lastSeen = this.deps.now();
    res.once('close', () => {
      session.open--;
      session.lastSeen = this.deps.now();
    });
    await session.transport.handleRequest(req, res, body);
  }

  private sweep(): void {
    const now = this.deps.now();
    for (const s of [...this.sessions.values()]) if (s.open <= 0 && now - s.lastSeen >= this.limits.sessionIdleMs) this.end(s.id);
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(60_000, this.limits.sessionIdleMs / 2)));
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
