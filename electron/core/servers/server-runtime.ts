import type { Client, Transport, Tool } from '@modelcontextprotocol/client';
import type { LogLine, ProtocolSetting, ServerInfo, ServerStatus, ServerView, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { Emit } from '../events';
import type { KnownSecrets } from '../traffic';
import { childEnv } from './child-env';
import { LogBuffer } from './log-buffer';
import { EraClient, negotiatedInfo } from './protocol-era';
import type { ProcessWatch } from './process-guard';
import { commandProblem, workingDirectoryOf } from './working-directory';
import type { ServerConfig } from './server-config';
import type { StoredHttpServer, StoredStdioServer } from './server-repo';
import { StdioSupervisor, type RestartPolicy } from './stdio-supervisor';
import { boundedSdkValidator } from '../tools';
import { listAllTools, ToolCatalogue } from './tool-catalogue';

// What runs: one runtime per server with its supervisor (stdio) or remote
// connection, status, log and tool list. It reads the config (server-config.ts)
// at each start, so the spec that runs is the one approved now.

export const CLIENT_INFO = { name: 'Switchboard', version: '0.1.0' };

/** A live connection to a remote server, provided by the remote feature. */
export interface RemoteConnector {
  connect(server: StoredHttpServer, ctx: ConnectionContext): Promise<{ client: Client; info: ServerInfo; close(): Promise<void> }>;
}

export interface ConnectionContext {
  log: LogBuffer;
  createClient: () => Client;
  wrapTransport?: (transport: Transport) => Transport;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface ServerRuntimeDeps {
  config: ServerConfig;
  emit: Emit;
  /** The whole view of a server (config and runtime), sent with every serverChanged. */
  view: (serverId: string) => Promise<ServerView>;
  /** The login-shell environment (resolved once at startup). */
  env: () => Promise<NodeJS.ProcessEnv>;
  /** A client for one connection, speaking the era the server's protocol setting allows. */
  createClient?: (serverId: string, protocol: ProtocolSetting) => Client;
  wrapTransport?: (serverId: string, transport: Transport) => Transport;
  /** Runs after a connection is up (tool snapshots, subscriptions). */
  onConnected?: (serverId: string, client: Client) => Promise<void>;
  remote?: RemoteConnector;
  restartPolicy?: RestartPolicy;
  /** Keeps server processes from outliving the core; `ready` settles once the previous run's orphans are gone. */
  processes?: ProcessWatch & { ready: Promise<unknown> };
  defaultConnectTimeoutMs?: number;
  now?: () => number;
  /** Secret values injected into each server, scrubbed from what it logs (and, elsewhere, its traffic and history). */
  secrets?: KnownSecrets;
}

interface Runtime {
  log: LogBuffer;
  supervisor?: StdioSupervisor;
  remote?: { client: Client; close(): Promise<void> };
  status: ServerStatus;
  info?: ServerInfo;
  pendingLog: LogLine[];
}

export class ServerRuntime {
  private readonly runtimes = new Map<string, Runtime>();
  /** The tools of each connected server; tools/ reads it on every call (no settings read). */
  readonly tools = new ToolCatalogue();
  private logFlushTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly deps: ServerRuntimeDeps) {
    this.now = deps.now ?? Date.now;
  }

  // ---- queries ---------------------------------------------------------

  /** The runtime part of a server's view. */
  state(id: string): Pick<ServerView, 'status' | 'info'> {
    const rt = this.runtime(id);
    return { status: rt.status, info: rt.status.state === 'connected' ? rt.info : undefined };
  }

  getLog(id: string): LogLine[] {
    this.deps.config.stored(id);
    return this.runtime(id).log.snapshot();
  }

  listTools(id: string): ToolView[] {
    this.deps.config.stored(id);
    return this.tools.get(id);
  }

  client(id: string): Client {
    const rt = this.runtime(id);
    const client = rt.supervisor?.client ?? rt.remote?.client;
    if (!client || rt.status.state !== 'connected')
      throw new IpcError('CONNECTION_FAILED', `${this.deps.config.stored(id).name} is not connected. Connect it first.`);
    return client;
  }

  /** For tests and shutdown checks: pids of running stdio servers. */
  pids(): number[] {
    return [...this.runtimes.values()].map((r) => r.supervisor?.pid).filter((p): p is number => typeof p === 'number');
  }

  private shuttingDown = false;

  private refuseWhileShuttingDown(): void {
    if (this.shuttingDown) throw new IpcError('SHUTTING_DOWN', 'Switchboard is quitting and no longer starts servers.');
  }

  // ---- lifecycle -------------------------------------------------------

  async connect(id: string): Promise<ServerView> {
    this.refuseWhileShuttingDown();
    const server = this.deps.config.stored(id);
    if (server.transport === 'stdio') {
      if (!(await this.deps.config.isApproved(server))) {
        const view = await this.deps.view(id);
        throw new IpcError('APPROVAL_REQUIRED', `Review and approve the command before ${server.name} starts.`, { trust: view.trust });
      }
      // A connect that was waiting (autostart, say) when shutdown began must not spawn after it.
      this.refuseWhileShuttingDown();
      const supervisor = this.supervisorFor(id);
      await supervisor.start().catch(() => undefined);
      return this.deps.view(id);
    }
    await this.connectRemote(server);
    return this.deps.view(id);
  }

  async disconnect(id: string): Promise<ServerView> {
    this.deps.config.stored(id);
    await this.stop(id);
    return this.changed(id);
  }

  /** Starts every enabled server that can start without asking (approved stdio, remote). */
  async autoStart(): Promise<void> {
    const { servers } = this.deps.config.list();
    await Promise.all(
      servers
        .filter((s) => s.enabled)
        .map(async (s) => {
          if (s.transport === 'stdio' && !(await this.deps.config.isApproved(s))) return;
          await this.connect(s.id);
        })
        .map((p) => p.catch(() => undefined)),
    );
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.logFlushTimer) clearTimeout(this.logFlushTimer);
    await Promise.all([...this.runtimes.keys()].map((id) => this.stop(id, false)));
  }

  /** Stops the server and resets its runtime; `emit` false when nobody should hear (removal, reconnect, shutdown). */
  async stop(id: string, emit = true): Promise<void> {
    const rt = this.runtimes.get(id);
    if (!rt) return;
    if (rt.supervisor) await rt.supervisor.stop();
    if (rt.remote) {
      const remote = rt.remote;
      rt.remote = undefined;
      await remote.close().catch(() => undefined);
    }
    rt.status = { state: 'stopped', since: this.now() };
    this.tools.clear(id);
    rt.info = undefined;
    if (emit) await this.changed(id).catch(() => undefined);
  }

  /** Drops a removed server's runtime (after stop). */
  forget(id: string): void {
    this.runtimes.delete(id);
    this.tools.clear(id);
  }

  /** Remote connections report status through here (refresh failures, sign-in needed). */
  setStatus(id: string, status: Omit<ServerStatus, 'since'>): void {
    const rt = this.runtime(id);
    rt.status = { ...status, since: this.now() };
    void this.changed(id).catch(() => undefined);
  }

  /** Replaces a server's tool list after list_changed. */
  setTools(id: string, tools: Tool[]): void {
    this.tools.set(id, tools);
    void this.changed(id).catch(() => undefined);
  }

  async changed(id: string): Promise<ServerView> {
    const view = await this.deps.view(id);
    this.deps.emit('serverChanged', { server: view });
    return view;
  }

  // ---- internals -------------------------------------------------------

  private runtime(id: string): Runtime {
    let rt = this.runtimes.get(id);
    if (!rt) {
      const pendingLog: LogLine[] = [];
      // Stream every new line to the renderer, batched so a chatty server cannot flood IPC.
      const log = new LogBuffer(
        (line) => {
          pendingLog.push(line);
          this.scheduleLogFlush();
        },
        undefined,
        undefined,
        () => this.deps.secrets?.scrubberFor(id),
      );
      rt = { log, status: { state: 'stopped', since: this.now() }, pendingLog };
      this.runtimes.set(id, rt);
    }
    return rt;
  }

  private scheduleLogFlush(): void {
    if (this.logFlushTimer) return;
    this.logFlushTimer = setTimeout(() => {
      this.logFlushTimer = undefined;
      for (const [serverId, rt] of this.runtimes) {
        if (!rt.pendingLog.length) continue;
        const lines = rt.pendingLog.splice(0);
        this.deps.emit('serverLog', { serverId, lines });
      }
    }, 50);
  }

  private createClient(id: string): Client {
    // Re-read: a changed protocol setting applies on the next connect.
    const protocol = this.deps.config.stored(id).protocol ?? 'auto';
    return this.deps.createClient?.(id, protocol) ?? new EraClient(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator: boundedSdkValidator() }, protocol);
  }

  private supervisorFor(id: string): StdioSupervisor {
    const rt = this.runtime(id);
    if (rt.supervisor) return rt.supervisor;
    const sync = () => {
      rt.status = supervisor.status;
      if (rt.status.state === 'stopped') this.tools.clear(id);
      void this.changed(id).catch(() => undefined);
    };
    const supervisor: StdioSupervisor = new StdioSupervisor({
      onChange: () => sync(),
      log: rt.log,
      now: this.now,
      restart: this.deps.restartPolicy,
      watch: this.deps.processes,
      connectTimeoutMs: ((this.deps.config.stored(id) as StoredStdioServer).connectTimeoutSec ?? 0) * 1000 || this.deps.defaultConnectTimeoutMs || 30_000,
      createClient: () => this.createClient(id),
      wrapTransport: this.deps.wrapTransport ? (t) => this.deps.wrapTransport!(id, t) : undefined,
      prepareLaunch: async () => {
        // Re-read: the spec that runs is the one approved now, never a stale copy.
        const server = this.deps.config.stored(id);
        if (server.transport !== 'stdio') throw new Error('Not a stdio server');
        if (!(await this.deps.config.isApproved(server))) throw new IpcError('APPROVAL_REQUIRED', 'The launch command changed; approve it again.');
        const shellEnv = await this.deps.env();
        await this.deps.processes?.ready; // never start next to the previous run's orphans
        const resolved = await this.deps.config.resolveValues(id, 'env', server.env);
        if ('unusable' in resolved) throw new Error(`The secret ${resolved.unusable} ${resolved.why}. Edit the server and enter it again.`);
        for (const value of resolved.secrets) this.deps.secrets?.add(id, value);
        const problem = commandProblem(server.command, shellEnv, server.cwd);
        if (problem) throw new Error(problem);
        this.refuseWhileShuttingDown(); // the awaits above may have spanned the start of shutdown
        return { command: server.command, args: server.args, cwd: workingDirectoryOf(server.cwd, shellEnv), env: childEnv(shellEnv, resolved.values) };
      },
      onConnected: async (client) => {
        const tools = await listAllTools(client).catch((error: Error) => {
          rt.log.push('system', `tools/list failed: ${error.message}`);
          return [] as Tool[];
        });
        this.tools.set(id, tools);
        rt.info = serverInfo(client, this.deps.config.stored(id).protocol ?? 'auto');
        await this.deps.onConnected?.(id, client);
      },
    });
    rt.supervisor = supervisor;
    return supervisor;
  }

  private async connectRemote(server: StoredHttpServer): Promise<void> {
    const rt = this.runtime(server.id);
    if (!this.deps.remote) throw new IpcError('INTERNAL', 'Remote servers are not available in this build.');
    await this.stop(server.id, false);
    const resolved = await this.deps.config.resolveValues(server.id, 'header', server.headers);
    if ('unusable' in resolved) {
      this.setStatus(server.id, { state: 'error', reason: `The secret header ${resolved.unusable} ${resolved.why}. Edit the server and enter it again.` });
      return;
    }
    for (const value of resolved.secrets) this.deps.secrets?.add(server.id, value);
    this.setStatus(server.id, { state: 'starting', reason: `Connecting to ${server.url}` });
    try {
      const connection = await this.deps.remote.connect(server, {
        log: rt.log,
        createClient: () => this.createClient(server.id),
        wrapTransport: this.deps.wrapTransport ? (t) => this.deps.wrapTransport!(server.id, t) : undefined,
        headers: resolved.values,
        timeoutMs: (server.connectTimeoutSec ?? 0) * 1000 || this.deps.defaultConnectTimeoutMs || 30_000,
      });
      if (this.shuttingDown) {
        await connection.close().catch(() => undefined);
        return;
      }
      rt.remote = connection;
      rt.info = connection.info;
      this.tools.set(server.id, await listAllTools(connection.client).catch(() => [] as Tool[]));
      await this.deps.onConnected?.(server.id, connection.client);
      connection.client.onclose = () => {
        if (rt.remote === connection) {
          rt.remote = undefined;
          this.setStatus(server.id, { state: 'error', reason: 'The connection closed.' });
        }
      };
      this.setStatus(server.id, { state: 'connected' });
    } catch (error) {
      const authRequired = error instanceof IpcError && (error.code === 'AUTH_REQUIRED' || error.code === 'STEP_UP_REQUIRED');
      this.setStatus(server.id, { state: 'error', reason: (error as Error).message, authRequired });
      if (!authRequired) rt.log.push('system', `Connection failed: ${(error as Error).message}`);
    }
  }
}

/** What the Overview shows of a connected server, the negotiated revision and why it was chosen included. */
export function serverInfo(client: Client, protocol: ProtocolSetting, transport?: string): ServerInfo {
  const version = client.getServerVersion();
  return {
    name: version?.name ?? 'unknown',
    version: version?.version ?? 'unknown',
    title: (version as { title?: string } | undefined)?.title,
    ...negotiatedInfo(client, protocol),
    capabilities: (client.getServerCapabilities() ?? {}) as Record<string, unknown>,
    instructions: client.getInstructions(),
    transport,
  };
}
