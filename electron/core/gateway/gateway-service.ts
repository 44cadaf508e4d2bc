import type { GatewayClientView, GatewayFailedAttempt, GatewayServerAccess, GatewayView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { Throttle } from '../batching';
import type { Emit } from '../events';
import type { KeyValueStore } from '../ports';
import { settingsKey } from '../settings';
import type { HttpExchange } from '../traffic';
import type { Vault } from '../vault';
import { GatewayClients, type GatewayClient } from './gateway-clients';
import { DEFAULT_LIMITS, GatewayHttp, type GatewayLimits } from './gateway-http';
import { buildCombinedServer, combinedServers, combinedTarget, type AggregateDeps } from './gateway-aggregate';
import { buildProxyServer, toolVisible } from './gateway-proxy';
import { GatewayRouting } from './gateway-routing';
import { GatewayRounds } from './gateway-rounds';
import { SESSION_ENDED } from './gateway-call';
import { waitForTask, type TaskPort } from './gateway-tasks';
import type { RouteDecision } from '../client-features';

// The gateway feature's face: on/off (off by default), its clients, who is
// connected, each client's last call and the failed authentication attempts.

const MAX_FAILURES_SHOWN = 50;
/** How long a new token stays in memory so it can be written into a client's config (it is never stored). */
export const TOKEN_IN_HAND_MS = 15 * 60_000;

export interface GatewayServiceDeps extends Omit<AggregateDeps, 'onCall' | 'callSignal' | 'beginCall' | 'awaitTask' | 'rounds'> {
  /** The tasks feature: a call that became a task is waited for. */
  tasks?: TaskPort;
  /** Switchboard's own tool calls running on a server (an upstream request then may be theirs). */
  ownCallsOn(serverId: string): number;
  store: KeyValueStore;
  vault: Vault;
  emit: Emit;
  now: () => number;
  onError?: (error: Error) => void;
  /** The downstream leg of each request, into the server's traffic view. */
  recordExchange?: (serverId: string, exchange: HttpExchange) => void;
  limits?: Partial<GatewayLimits>;
}

export class GatewayService {
  readonly clients: GatewayClients;
  private readonly http: GatewayHttp;
  private readonly lastCalls = new Map<string, { serverId: string; tool: string; at: number; status: string }>();
  private failures: GatewayFailedAttempt[] = [];
  private error?: string;
  /** Tokens just made (create, rotate), by client id: memory only, for export. */
  private readonly inHand = new Map<string, { token: string; until: number }>();
  private readonly changed: Throttle;
  private readonly routing: GatewayRouting;
  /** Calls parked between a 2026-07-28 client's input-required rounds. */
  private readonly rounds: GatewayRounds;

  constructor(private readonly deps: GatewayServiceDeps) {
    this.clients = new GatewayClients({ store: deps.store, vault: deps.vault, now: deps.now });
    this.changed = new Throttle(() => this.deps.emit('gatewayChanged', this.view()), 100);
    this.routing = new GatewayRouting((id) => deps.ownCallsOn(id));
    this.rounds = new GatewayRounds(undefined, () => this.changed.poke());
    const proxy: AggregateDeps = {
      ...deps,
      beginCall: (serverId, origin) => this.routing.begin(serverId, origin),
      rounds: this.rounds,
      ...(deps.tasks ? { awaitTask: (serverId: string, taskId: string, signal: AbortSignal) => waitForTask(deps.tasks!, serverId, taskId, signal) } : {}),
      onCall: (clientId, call) => this.onCall(clientId, call),
      callSignal: (clientId, serverId, requestId, signal) => this.http.callSignal(clientId, serverId, requestId, signal),
    };
    this.http = new GatewayHttp(
      {
        verify: (token) => this.clients.verify(token),
        isConnected: (id) => deps.isConnected(id),
        build: (client, access, sessionId, modern) => buildProxyServer(proxy, this.renamable(client), access, sessionId, modern),
        buildCombined: (client, sessionId) => buildCombinedServer(proxy, this.renamable(client), sessionId),
        combinedTarget: (client, message) => combinedTarget(proxy, client, message),
        toolsSignature: (clientId, serverId) => {
          const access = this.clients
            .list()
            .find((c) => c.id === clientId)
            ?.servers.find((s) => s.serverId === serverId);
          if (!access) return '';
          const hidden = deps.unacknowledged(serverId);
          return JSON.stringify(deps.tools(serverId).filter((t) => toolVisible(access, t, hidden)));
        },
        onFailure: (remote, reason) => {
          this.failures = [{ at: deps.now(), remote, reason }, ...this.failures].slice(0, MAX_FAILURES_SHOWN);
          this.changed.poke();
        },
        onOpenChanged: () => this.changed.poke(),
        onError: (error) => deps.onError?.(error),
        onExchange: deps.recordExchange,
        ...(deps.subscribeUpstream ? { subscribeUpstream: deps.subscribeUpstream } : {}),
      },
      { ...DEFAULT_LIMITS, ...deps.limits },
    );
    this.http.currentClient = (id) => (this.clients.hasToken(id) ? this.clients.list().find((c) => c.id === id) : undefined);
  }

  private settings() {
    return settingsKey(this.deps.store, 'gateway');
  }

  /** Starts the gateway if the user turned it on (at core start). */
  async start(): Promise<void> {
    await this.clients.load();
    if (this.settings().read().enabled) await this.listen();
  }

  async stop(): Promise<void> {
    this.changed.stop();
    this.rounds.endAll(new Error(SESSION_ENDED));
    await this.http.stop();
  }

  /** Ends a client's open requests, streams, sessions and parked calls at once (revoked, rotated or its access changed). */
  private endClient(id: string): void {
    this.http.endClient(id);
    this.rounds.endClient(id, new Error(SESSION_ENDED));
  }

  view(): GatewayView {
    const settings = this.settings().read();
    return {
      enabled: settings.enabled,
      running: this.http.address !== undefined,
      address: this.http.address,
      port: settings.port,
      error: this.error,
      clients: settings.clients.map((c) => this.clientView(c)),
      failedAttempts: this.failures,
    };
  }

  async setEnabled(enabled: boolean, port: number | null | undefined): Promise<GatewayView> {
    const settings = this.settings();
    const current = settings.read();
    const nextPort = port === undefined ? current.port : (port ?? undefined);
    const { port: _old, ...rest } = current;
    settings.write({ ...rest, enabled, ...(nextPort !== undefined ? { port: nextPort } : {}) });
    this.rounds.endAll(new Error(SESSION_ENDED));
    await this.http.stop();
    this.error = undefined;
    if (enabled) await this.clients.load().then(() => this.listen());
    this.changed.poke();
    return this.view();
  }

  async create(name: string, servers: GatewayServerAccess[], combined?: boolean): Promise<{ client: GatewayClientView; token: string }> {
    this.checkServers(servers);
    const { client, token } = await this.clients.create(name, servers, combined);
    this.inHand.set(client.id, { token, until: this.deps.now() + TOKEN_IN_HAND_MS });
    this.changed.poke();
    return { client: this.clientView(client), token };
  }

  update(id: string, patch: { name?: string; servers?: GatewayServerAccess[]; combined?: boolean }): { client: GatewayClientView } {
    if (patch.servers) this.checkServers(patch.servers);
    const client = this.clients.update(id, patch);
    // Narrower access applies to open streams too: end them, the client reconnects under the new rules.
    if (patch.servers || patch.combined !== undefined) this.endClient(id);
    this.changed.poke();
    return { client: this.clientView(client) };
  }

  async rotate(id: string): Promise<{ client: GatewayClientView; token: string }> {
    const { client, token } = await this.clients.rotate(id);
    this.inHand.set(id, { token, until: this.deps.now() + TOKEN_IN_HAND_MS });
    this.endClient(id);
    this.changed.poke();
    return { client: this.clientView(client), token };
  }

  revoke(id: string): void {
    this.clients.get(id);
    this.clients.revoke(id);
    this.inHand.delete(id);
    this.endClient(id);
    this.lastCalls.delete(id);
    this.changed.poke();
  }

  /**
   * What an export writes for this client: the gateway address and the token, while it is in hand
   * (for TOKEN_IN_HAND_MS after create or rotate; Switchboard keeps only its hash after that).
   */
  exportClient(id: string): { name: string; address: string; fixedPort: boolean; token: string; serverIds: string[]; combined: boolean } {
    const client = this.clients.get(id);
    const held = this.inHand.get(id);
    if (!held || held.until < this.deps.now()) {
      this.inHand.delete(id);
      throw new IpcError(
        'VALIDATION',
        `The token of ${client.name} is no longer in hand: Switchboard keeps only its hash. Rotate the token, then write the config right away.`,
      );
    }
    const port = this.settings().read().port;
    const address = port !== undefined ? `http://127.0.0.1:${port}` : this.http.address;
    if (!address) throw new IpcError('VALIDATION', 'The gateway is off: turn it on (or set a fixed port) before writing client configs.');
    return {
      name: client.name,
      address,
      fixedPort: port !== undefined,
      token: held.token,
      serverIds: client.servers.filter((s) => this.deps.knownServer(s.serverId)).map((s) => s.serverId),
      combined: Boolean(client.combined),
    };
  }

  private readonly connected = new Map<string, boolean>();

  /** A server's status changed: when it went up or down, the combined endpoint's tool list changed with it. */
  serverChanged(serverId: string, connected: boolean): void {
    if ((this.connected.get(serverId) ?? false) === connected) return;
    this.connected.set(serverId, connected);
    this.http.toolsChanged(serverId);
  }

  /** A server's visible tools may have changed (list_changed, acknowledgement): tell listening clients. */
  toolsChanged(serverId: string): void {
    this.http.toolsChanged(serverId);
  }

  /** A session outlives a rename: its History records read the client's name at each call. */
  private renamable(client: GatewayClient): GatewayClient {
    const current = () => this.clients.list().find((c) => c.id === client.id) ?? client;
    return {
      ...client,
      get name() {
        return current().name;
      },
    };
  }

  /** Who answers an upstream's elicitation or sampling request (see gateway-routing.ts). */
  route(serverId: string, request: { method: string; params: Record<string, unknown> }, signal: AbortSignal): RouteDecision | undefined {
    return this.routing.route(serverId, request, signal);
  }

  /** A notification from an upstream (list changes, log messages, resource updates), for gateway clients that get them. */
  upstreamNotification(serverId: string, method: string, params: Record<string, unknown> | undefined): void {
    this.http.upstreamNotification(serverId, method, params);
  }

  private async listen(): Promise<void> {
    try {
      await this.http.start(this.settings().read().port);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.error =
        code === 'EADDRINUSE'
          ? `Port ${this.settings().read().port} is in use by another program. Choose another port, or none for a free one.`
          : `The gateway could not start: ${(error as Error).message}`;
    }
  }

  private checkServers(servers: GatewayServerAccess[]): void {
    const unknown = servers.find((s) => !this.deps.knownServer(s.serverId));
    if (unknown) throw new IpcError('VALIDATION', `There is no server with id ${unknown.serverId}.`, { servers: 'unknown server' });
  }

  private onCall(clientId: string, call: { serverId: string; tool: string; status: string }): void {
    this.lastCalls.set(clientId, { ...call, at: this.deps.now() });
    this.changed.poke();
  }

  private clientView(c: GatewayClient): GatewayClientView {
    const last = this.lastCalls.get(c.id);
    return {
      id: c.id,
      name: c.name,
      createdAt: c.createdAt,
      servers: c.servers.filter((s) => this.deps.knownServer(s.serverId)),
      ...(c.combined ? { combined: true, prefixes: combinedServers(this.deps, c).map(({ serverId, prefix }) => ({ serverId, prefix })) } : {}),
      connections: this.http.openCount(c.id),
      sessions: this.http.sessionCount(c.id),
      waiting: this.rounds.waitingFor(c.id),
      ...(last ? { lastCall: last } : {}),
      ...(this.clients.hasToken(c.id) ? {} : { tokenMissing: true }),
    };
  }
}
