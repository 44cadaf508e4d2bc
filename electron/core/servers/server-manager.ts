import type { Client, Transport, Tool } from '@modelcontextprotocol/client';
import type { LogLine, ProtocolSetting, ServerInput, ServerStatus, ServerView, ToolView } from '../../../shared/contract';
import type { Emit } from '../events';
import type { KnownSecrets } from '../traffic';
import type { Vault } from '../vault';
import type { ApprovalContext } from './launch-approvals';
import type { ProcessWatch } from './process-guard';
import { ServerConfig } from './server-config';
import type { InvalidEntry, ServerRepo, StoredServer } from './server-repo';
import { ServerRuntime, type RemoteConnector } from './server-runtime';
import type { ToolCatalogue } from './tool-catalogue';
import type { RestartPolicy } from './stdio-supervisor';

// One face for the servers feature: joins what is configured (server-config.ts)
// with what runs (server-runtime.ts) into the views the renderer sees, and
// orders the steps that touch both (removal). The IPC handlers call into this.

export { CLIENT_INFO, serverInfo, type ConnectionContext, type RemoteConnector } from './server-runtime';
export { listAllTools, toToolView } from './tool-catalogue';

export interface ServerManagerDeps {
  repo: ServerRepo;
  vault: Vault;
  emit: Emit;
  /** The login-shell environment (resolved once at startup). */
  env: () => Promise<NodeJS.ProcessEnv>;
  createClient?: (serverId: string, protocol: ProtocolSetting) => Client;
  wrapTransport?: (serverId: string, transport: Transport) => Transport;
  /** Runs after a connection is up (tool snapshots, subscriptions). */
  onConnected?: (serverId: string, client: Client) => Promise<void>;
  remote?: RemoteConnector;
  /** Runs when a server is removed (forget its grant, history stays). */
  onRemoved?: (serverId: string) => Promise<void>;
  restartPolicy?: RestartPolicy;
  /** Keeps server processes from outliving the core; `ready` settles once the previous run's orphans are gone. */
  processes?: ProcessWatch & { ready: Promise<unknown> };
  defaultConnectTimeoutMs?: number;
  now?: () => number;
  /** Secret values injected into each server, scrubbed from what it logs (and, elsewhere, its traffic and history). */
  secrets?: KnownSecrets;
}

export class ServerManager {
  readonly config: ServerConfig;
  readonly runtime: ServerRuntime;
  /** The tools of each connected server (owned by the runtime). */
  readonly tools: ToolCatalogue;

  constructor(private readonly deps: ServerManagerDeps) {
    this.config = new ServerConfig({ repo: deps.repo, vault: deps.vault, env: deps.env });
    this.runtime = new ServerRuntime({ ...deps, config: this.config, view: (id) => this.get(id) });
    this.tools = this.runtime.tools;
  }

  // ---- views -------------------------------------------------------------

  async list(): Promise<ServerView[]> {
    const { servers } = this.config.list();
    const env = await this.deps.env();
    const context = await this.config.viewContext();
    return Promise.all(servers.map((s) => this.view(s, env, context)));
  }

  invalidEntries(): InvalidEntry[] {
    return this.config.list().invalid;
  }

  async get(id: string): Promise<ServerView> {
    return this.view(this.config.stored(id), await this.deps.env());
  }

  private async view(server: StoredServer, env: NodeJS.ProcessEnv, context?: ApprovalContext): Promise<ServerView> {
    return { ...(await this.config.view(server, env, context)), ...this.runtime.state(server.id) };
  }

  // ---- config ------------------------------------------------------------

  async add(input: ServerInput): Promise<ServerView> {
    const { id } = await this.config.add(input);
    return this.runtime.changed(id);
  }

  /** A changed config applies on the next start; a running stdio server keeps its approved spec until then. */
  async update(id: string, input: ServerInput): Promise<ServerView> {
    await this.config.update(id, input);
    return this.runtime.changed(id);
  }

  async remove(id: string): Promise<void> {
    this.config.stored(id);
    await this.runtime.stop(id);
    this.config.remove(id);
    await this.deps.onRemoved?.(id).catch(() => undefined);
    this.runtime.forget(id);
    this.deps.emit('serverRemoved', { serverId: id });
  }

  async approve(id: string, specHash: string): Promise<ServerView> {
    await this.config.approve(id, specHash);
    return this.runtime.changed(id);
  }

  // ---- runtime -------------------------------------------------------------

  connect(id: string): Promise<ServerView> {
    return this.runtime.connect(id);
  }

  disconnect(id: string): Promise<ServerView> {
    return this.runtime.disconnect(id);
  }

  autoStart(): Promise<void> {
    return this.runtime.autoStart();
  }

  shutdown(): Promise<void> {
    return this.runtime.shutdown();
  }

  getLog(id: string): LogLine[] {
    return this.runtime.getLog(id);
  }

  listTools(id: string): ToolView[] {
    return this.runtime.listTools(id);
  }

  client(id: string): Client {
    return this.runtime.client(id);
  }

  pids(): number[] {
    return this.runtime.pids();
  }

  setStatus(id: string, status: Omit<ServerStatus, 'since'>): void {
    this.runtime.setStatus(id, status);
  }

  setTools(id: string, tools: Tool[]): void {
    this.runtime.setTools(id, tools);
  }
}
