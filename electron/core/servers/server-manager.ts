import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { LogLine, ServerInfo, ServerInput, ServerStatus, ServerView, ToolView, SecretableView } from '../../../shared/contract';
import { IpcError, HttpServerInput as HttpServerInputSchema, StdioServerInput as StdioServerInputSchema } from '../../../shared/contract';
import type { Emit } from '../events';
import type { KnownSecrets } from '../traffic/known-secrets';
import type { Vault } from '../vault/vault';
import { childEnv } from './child-env';
import { LaunchApprovals, type ApprovalContext } from './launch-approvals';
import { launchSpecHash, launchSpecOf } from './launch-spec';
import { LogBuffer } from './log-buffer';
import { resolveCommand } from './resolve-command';
import { ServerRepo, type StoredHttpServer, type StoredServer, type StoredStdioServer } from './server-repo';
import type { ProcessWatch } from './process-guard';
import { StdioSupervisor, type RestartPolicy } from './stdio-supervisor';
import { validateHttp, validateStdio } from './validate';
import { boundedSdkValidator } from '../tools';
import { listAllTools, ToolCatalogue } from './tool-catalogue';

// Owns every configured server: their stored config, secrets, trust approvals,
// running connections, logs and tool lists. The IPC handlers are thin calls
// into this class.

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

export interface ServerManagerDeps {
  repo: ServerRepo;
  vault: Vault;
  emit: Emit;
  /** The login-shell environment (resolved once at startup). */
  env: () => Promise<NodeJS.ProcessEnv>;
  createClient?: (serverId: string) => Client;
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

interface Runtime {
  log: LogBuffer;
  supervisor?: StdioSupervisor;
  remote?: { client: Client; close(): Promise<void> };
  status: ServerStatus;
  info?: ServerInfo;
  pendingLog: LogLine[];
}

const secretKey = (id: string, kind: 'env' | 'header', name: string) => `server:${id}:${kind}:${name}`;

export class ServerManager {
  private readonly runtimes = new Map<string, Runtime>();
  /** The tools of each connected server; tools/ reads it on every call. */
  readonly tools = new ToolCatalogue();
  private logFlushTimer?: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly approvals: LaunchApprovals;

  constructor(private readonly deps: ServerManagerDeps) {
    this.now = deps.now ?? Date.now;
    this.approvals = new LaunchApprovals(deps.vault, deps.repo);
  }

  // ---- queries ---------------------------------------------------------

  async list(): Promise<ServerView[]> {
    const { servers } = this.deps.repo.list();
    const env = await this.deps.env();
    // One settings read and one cipher check for the whole list.
    const context = { legacy: this.deps.repo.approvals(), persists: await this.deps.vault.persists({ secureOnly: true }), records: this.deps.vault.snapshot() };
    return Promise.all(servers.map((s) => this.view(s, env, context)));
  }

  invalidEntries() {
    return this.deps.repo.list().invalid;
  }

  async get(id: string): Promise<ServerView> {
    return this.view(this.stored(id), await this.deps.env());
  }

  getLog(id: string): LogLine[] {
    this.stored(id);
    return this.runtime(id).log.snapshot();
  }

  listTools(id: string): ToolView[] {
    this.stored(id);
    return this.tools.get(id);
  }

  client(id: string): Client {
    const rt = this.runtime(id);
    const client = rt.supervisor?.client ?? rt.remote?.client;
    if (!client || rt.status.state !== 'connected') throw new IpcError('CONNECTION_FAILED', `${this.stored(id).name} is not connected. Connect it first.`);
    return client;
  }

  /** For tests and shutdown checks: pids of running stdio servers. */
  pids(): number[] {
    return [...this.runtimes.values()].map((r) => r.supervisor?.pid).filter((p): p is number => typeof p === 'number');
  }

  // ---- config ----------------------------------------------------------

  async add(input: ServerInput): Promise<ServerView> {
    const id = this.deps.repo.newId();
    const stored = await this.toStored(id, input, undefined);
    this.deps.repo.upsert(stored);
    const view = await this.get(id);
    this.deps.emit('serverChanged', { server: view });
    return view;
  }

  async update(id: string, input: ServerInput): Promise<ServerView> {
    const previous = this.stored(id);
    if (previous.transport !== input.transport) throw new IpcError('VALIDATION', 'A server cannot change between local and remote; add a new server instead.', { transport: 'Cannot change the transport of an existing server.' });
    const stored = await this.toStored(id, input, previous);
    this.deps.repo.upsert(stored);
    // A changed config applies on the next start; a running stdio server keeps its approved spec until then.
    const view = await this.get(id);
    this.deps.emit('serverChanged', { server: view });
    return view;
  }

  async remove(id: string): Promise<void> {
    this.stored(id);
    await this.stopRuntime(id);
    this.deps.repo.remove(id);
    this.deps.repo.setApproval(id, undefined);
    this.deps.vault.deletePrefix(`server:${id}:`);
    await this.deps.onRemoved?.(id).catch(() => undefined);
    this.runtimes.delete(id);
    this.deps.emit('serverRemoved', { id });
  }

  async approve(id: string, specHash: string): Promise<ServerView> {
    const server = this.stored(id);
    if (server.transport !== 'stdio') throw new IpcError('VALIDATION', 'Only local (stdio) servers need launch approval.');
    const current = launchSpecHash(server);
    if (current !== specHash) throw new IpcError('CONFLICT', 'The launch command changed after it was shown to you. Review it again.', { specHash: current });
    await this.approvals.approve(server);
    return this.changed(id);
  }

  // ---- lifecycle -------------------------------------------------------

  async connect(id: string): Promise<ServerView> {
    const server = this.stored(id);
    if (server.transport === 'stdio') {
      if (!(await this.approvals.isApproved(server))) {
        const view = await this.get(id);
        throw new IpcError('APPROVAL_REQUIRED', `Review and approve the command before ${server.name} starts.`, { trust: view.trust });
      }
      const supervisor = this.supervisorFor(id);
      await supervisor.start().catch(() => undefined);
      return this.get(id);
    }
    await this.connectRemote(server);
    return this.get(id);
  }

  async disconnect(id: string): Promise<ServerView> {
    this.stored(id);
    await this.stopRuntime(id);
    return this.changed(id);
  }

  /** Starts every enabled server that can start without asking (approved stdio, remote). */
  async autoStart(): Promise<void> {
    const { servers } = this.deps.repo.list();
    await Promise.all(
      servers
        .filter((s) => s.enabled)
        .map(async (s) => {
          if (s.transport === 'stdio' && !(await this.approvals.isApproved(s))) return;
          await this.connect(s.id);
        })
        .map((p) => p.catch(() => undefined)),
    );
  }

  async shutdown(): Promise<void> {
    if (this.logFlushTimer) clearTimeout(this.logFlushTimer);
    await Promise.all([...this.runtimes.keys()].map((id) => this.stopRuntime(id, false)));
  }

  // ---- internals -------------------------------------------------------

  private stored(id: string): StoredServer {
    const server = this.deps.repo.get(id);
    if (!server) throw new IpcError('NOT_FOUND', `No server with id ${id}. It may have been removed.`);
    return server;
  }

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
    return this.deps.createClient?.(id) ?? new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator: boundedSdkValidator() });
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
      connectTimeoutMs: ((this.stored(id) as StoredStdioServer).connectTimeoutSec ?? 0) * 1000 || this.deps.defaultConnectTimeoutMs || 30_000,
      createClient: () => this.createClient(id),
      wrapTransport: this.deps.wrapTransport ? (t) => this.deps.wrapTransport!(id, t) : undefined,
      prepareLaunch: async () => {
        // Re-read: the spec that runs is the one approved now, never a stale copy.
        const server = this.stored(id);
        if (server.transport !== 'stdio') throw new Error('Not a stdio server');
        if (!(await this.approvals.isApproved(server))) throw new IpcError('APPROVAL_REQUIRED', 'The launch command changed; approve it again.');
        const shellEnv = await this.deps.env();
        await this.deps.processes?.ready; // never start next to the previous run's orphans
        const serverEnv: Record<string, string> = {};
        for (const entry of server.env) {
          if (!entry.secret) serverEnv[entry.name] = entry.value ?? '';
          else {
            const read = await this.deps.vault.get(secretKey(id, 'env', entry.name));
            if (read.status !== 'ok') throw new Error(`The secret ${entry.name} ${read.status === 'missing' ? 'is not stored' : `cannot be used: ${read.reason}`}. Edit the server and enter it again.`);
            serverEnv[entry.name] = read.value;
            this.deps.secrets?.add(id, read.value);
          }
        }
        const resolved = resolveCommand(server.command, shellEnv, server.cwd);
        if (!resolved) throw new Error(`Command not found on PATH: "${server.command}". Install it or use an absolute path.`);
        return { command: server.command, args: server.args, cwd: server.cwd, env: childEnv(shellEnv, serverEnv) };
      },
      onConnected: async (client, protocolVersion) => {
        const tools = await listAllTools(client).catch((error: Error) => {
          rt.log.push('system', `tools/list failed: ${error.message}`);
          return [] as Tool[];
        });
        this.tools.set(id, tools);
        rt.info = serverInfo(client, protocolVersion);
        await this.deps.onConnected?.(id, client);
      },
    });
    rt.supervisor = supervisor;
    return supervisor;
  }

  private async connectRemote(server: StoredHttpServer): Promise<void> {
    const rt = this.runtime(server.id);
    if (!this.deps.remote) throw new IpcError('INTERNAL', 'Remote servers are not available in this build.');
    await this.stopRuntime(server.id, false);
    const headers: Record<string, string> = {};
    for (const h of server.headers) {
      if (!h.secret) headers[h.name] = h.value ?? '';
      else {
        const read = await this.deps.vault.get(secretKey(server.id, 'header', h.name));
        if (read.status !== 'ok') {
          this.setStatus(server.id, { state: 'error', reason: `The secret header ${h.name} ${read.status === 'missing' ? 'is not stored' : `cannot be used: ${read.reason}`}. Edit the server and enter it again.` });
          return;
        }
        headers[h.name] = read.value;
        this.deps.secrets?.add(server.id, read.value);
      }
    }
    this.setStatus(server.id, { state: 'starting', reason: `Connecting to ${server.url}` });
    try {
      const connection = await this.deps.remote.connect(server, {
        log: rt.log,
        createClient: () => this.createClient(server.id),
        wrapTransport: this.deps.wrapTransport ? (t) => this.deps.wrapTransport!(server.id, t) : undefined,
        headers,
        timeoutMs: (server.connectTimeoutSec ?? 0) * 1000 || this.deps.defaultConnectTimeoutMs || 30_000,
      });
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

  private async stopRuntime(id: string, emit = true): Promise<void> {
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

  private async changed(id: string): Promise<ServerView> {
    const view = await this.get(id);
    this.deps.emit('serverChanged', { server: view });
    return view;
  }

  private async view(server: StoredServer, env: NodeJS.ProcessEnv, context?: ApprovalContext): Promise<ServerView> {
    const rt = this.runtime(server.id);
    const base = { id: server.id, name: server.name, enabled: server.enabled, status: rt.status, info: rt.status.state === 'connected' ? rt.info : undefined };
    if (server.transport === 'stdio') {
      const state = await this.approvals.state(server, context);
      return {
        ...base,
        config: { transport: 'stdio', command: server.command, args: server.args, cwd: server.cwd, env: server.env.map((e) => this.secretView(server.id, 'env', e)), connectTimeoutSec: server.connectTimeoutSec },
        trust: { ...state, specHash: launchSpecHash(server), spec: launchSpecOf(server, resolveCommand(server.command, env, server.cwd)) },
      };
    }
    return {
      ...base,
      config: {
        transport: 'http',
        url: server.url,
        mode: server.mode,
        headers: server.headers.map((h) => this.secretView(server.id, 'header', h)),
        oauthClient: server.oauthClient,
        omitResourceParameter: server.omitResourceParameter,
        clientMetadataUrl: server.clientMetadataUrl,
        connectTimeoutSec: server.connectTimeoutSec,
      },
    };
  }

  private secretView(id: string, kind: 'env' | 'header', entry: { name: string; secret: boolean; value?: string }): SecretableView {
    return entry.secret ? { name: entry.name, secret: true, hasValue: this.deps.vault.has(secretKey(id, kind, entry.name)) } : { name: entry.name, secret: false, value: entry.value ?? '', hasValue: true };
  }

  private async toStored(id: string, input: ServerInput, previous: StoredServer | undefined): Promise<StoredServer> {
    const others = this.deps.repo
      .list()
      .servers.filter((s) => s.id !== id)
      .map((s) => s.name);
    if (input.transport === 'stdio') {
      const parsed = StdioServerInputSchema.parse(input);
      validateStdio(parsed, others, await this.deps.env(), (name) => this.deps.vault.has(secretKey(id, 'env', name)));
      const env = await this.storeSecrets(id, 'env', parsed.env, previous?.transport === 'stdio' ? previous.env : []);
      return { id, name: parsed.name.trim(), enabled: parsed.enabled, transport: 'stdio', command: parsed.command.trim(), args: parsed.args, cwd: parsed.cwd || undefined, env, connectTimeoutSec: parsed.connectTimeoutSec };
    }
    const parsed = HttpServerInputSchema.parse(input);
    const url = validateHttp(parsed, others, (name) => this.deps.vault.has(secretKey(id, 'header', name)));
    const headers = await this.storeSecrets(id, 'header', parsed.headers, previous?.transport === 'http' ? previous.headers : []);
    let oauthClient: StoredHttpServer['oauthClient'];
    const secretKeyName = `server:${id}:oauth-client-secret`;
    const privateKeyName = `server:${id}:oauth-private-key`;
    if (parsed.oauthClient) {
      const { clientSecret, privateKeyPem } = parsed.oauthClient;
      if (clientSecret === '') this.deps.vault.delete(secretKeyName);
      else if (clientSecret !== undefined) await this.deps.vault.put(secretKeyName, clientSecret);
      if (privateKeyPem === '') this.deps.vault.delete(privateKeyName);
      else if (privateKeyPem !== undefined) await this.deps.vault.put(privateKeyName, privateKeyPem);
      const hasClientSecret = this.deps.vault.has(secretKeyName);
      const hasPrivateKey = this.deps.vault.has(privateKeyName);
      if (parsed.oauthClient.grantType === 'client_credentials' && !hasClientSecret && !hasPrivateKey)
        throw new IpcError('VALIDATION', 'Client credentials need a client secret or a private key.', { clientSecret: 'Enter the client secret (or a private key) for machine sign-in.' });
      oauthClient = { clientId: parsed.oauthClient.clientId, scopes: parsed.oauthClient.scopes || undefined, hasClientSecret, hasPrivateKey, grantType: parsed.oauthClient.grantType };
    } else {
      this.deps.vault.delete(secretKeyName);
      this.deps.vault.delete(privateKeyName);
    }
    return { id, name: parsed.name.trim(), enabled: parsed.enabled, transport: 'http', url: url.href, mode: parsed.mode, headers, oauthClient, omitResourceParameter: parsed.omitResourceParameter, clientMetadataUrl: parsed.clientMetadataUrl || undefined, connectTimeoutSec: parsed.connectTimeoutSec };
  }

  private async storeSecrets(id: string, kind: 'env' | 'header', entries: { name: string; secret: boolean; value?: string }[], previous: { name: string; secret: boolean }[]): Promise<{ name: string; secret: boolean; value?: string }[]> {
    const out: { name: string; secret: boolean; value?: string }[] = [];
    for (const entry of entries) {
      const key = secretKey(id, kind, entry.name);
      if (entry.secret) {
        if (entry.value !== undefined) await this.deps.vault.put(key, entry.value);
        out.push({ name: entry.name, secret: true });
      } else {
        this.deps.vault.delete(key);
        out.push({ name: entry.name, secret: false, value: entry.value ?? '' });
      }
    }
    for (const old of previous) if (old.secret && !entries.some((e) => e.name === old.name && e.secret)) this.deps.vault.delete(secretKey(id, kind, old.name));
    return out;
  }
}

export function serverInfo(client: Client, protocolVersion: string | undefined, transport?: string): ServerInfo {
  const version = client.getServerVersion();
  return {
    name: version?.name ?? 'unknown',
    version: version?.version ?? 'unknown',
    title: (version as { title?: string } | undefined)?.title,
    protocolVersion: protocolVersion ?? 'unknown',
    capabilities: (client.getServerCapabilities() ?? {}) as Record<string, unknown>,
    instructions: client.getInstructions(),
    transport,
  };
}

