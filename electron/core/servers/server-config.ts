import type { SecretableView, ServerInput, ServerView } from '../../../shared/contract';
import { IpcError, HttpServerInput as HttpServerInputSchema, StdioServerInput as StdioServerInputSchema } from '../../../shared/contract';
import { vaultKey, type Vault } from '../vault';
import { LaunchApprovals, type ApprovalContext } from './launch-approvals';
import { storeOAuthClient } from './oauth-client-config';
import { launchSpecHash, launchSpecOf } from './launch-spec';
import { resolveCommand } from './resolve-command';
import { workingDirectoryOf } from './working-directory';
import type { InvalidEntry, ServerRepo, StoredServer, StoredStdioServer } from './server-repo';
import { validateHttp, validateStdio } from './validate';

// What the user configured for each server: the stored config, its secrets in
// the vault, and the launch approval of stdio servers. Nothing here runs a
// server (server-runtime.ts does); a changed config applies on the next start.

/** A server's view without its runtime part (status, info): what the config alone says. */
export type ConfigView = Omit<ServerView, 'status' | 'info'>;

type Secretable = { name: string; secret: boolean; value?: string };
type SecretKind = 'env' | 'header';

export interface ServerConfigDeps {
  repo: ServerRepo;
  vault: Vault;
  /** The login-shell environment (resolves commands for the trust view and validation). */
  env: () => Promise<NodeJS.ProcessEnv>;
}

const keyOf = (serverId: string, kind: SecretKind, name: string) =>
  kind === 'env' ? vaultKey.serverEnv(serverId, name) : vaultKey.serverHeader(serverId, name);

export class ServerConfig {
  private readonly approvals: LaunchApprovals;

  constructor(private readonly deps: ServerConfigDeps) {
    this.approvals = new LaunchApprovals(deps.vault, deps.repo);
  }

  // ---- stored config -----------------------------------------------------

  /** Re-read from the settings file every time (another program may edit it). */
  list(): { servers: StoredServer[]; invalid: InvalidEntry[] } {
    return this.deps.repo.list();
  }

  stored(id: string): StoredServer {
    const server = this.deps.repo.get(id);
    if (!server) throw new IpcError('NOT_FOUND', `No server with id ${id}. It may have been removed.`);
    return server;
  }

  async add(input: ServerInput): Promise<StoredServer> {
    const id = this.deps.repo.newId();
    const stored = await this.toStored(id, input, undefined);
    this.deps.repo.upsert(stored);
    return stored;
  }

  async update(id: string, input: ServerInput): Promise<StoredServer> {
    const previous = this.stored(id);
    if (previous.transport !== input.transport)
      throw new IpcError('VALIDATION', 'A server cannot change between local and remote; add a new server instead.', {
        transport: 'Cannot change the transport of an existing server.',
      });
    const stored = await this.toStored(id, input, previous);
    this.deps.repo.upsert(stored);
    return stored;
  }

  /** Forgets the config, its old-format approval and every `server:<id>:` secret. */
  remove(id: string): void {
    this.deps.repo.remove(id);
    this.deps.repo.setApproval(id, undefined);
    this.deps.vault.deletePrefix(vaultKey.serverPrefix(id));
  }

  // ---- launch approval ---------------------------------------------------

  async approve(id: string, specHash: string): Promise<void> {
    const server = this.stored(id);
    if (server.transport !== 'stdio') throw new IpcError('VALIDATION', 'Only local (stdio) servers need launch approval.');
    const current = launchSpecHash(server);
    if (current !== specHash) throw new IpcError('CONFLICT', 'The launch command changed after it was shown to you. Review it again.', { specHash: current });
    await this.approvals.approve(server);
  }

  isApproved(server: StoredStdioServer): Promise<boolean> {
    return this.approvals.isApproved(server);
  }

  // ---- views ---------------------------------------------------------------

  /** One settings read and one cipher check for a whole list. */
  async viewContext(): Promise<ApprovalContext> {
    return { legacy: this.deps.repo.approvals(), persists: await this.deps.vault.persists({ secureOnly: true }), records: this.deps.vault.snapshot() };
  }

  async view(server: StoredServer, env: NodeJS.ProcessEnv, context?: ApprovalContext): Promise<ConfigView> {
    const base = { id: server.id, name: server.name, enabled: server.enabled };
    if (server.transport === 'stdio') {
      const state = await this.approvals.state(server, context);
      return {
        ...base,
        config: {
          transport: 'stdio',
          command: server.command,
          args: server.args,
          cwd: server.cwd,
          env: server.env.map((e) => this.secretView(server.id, 'env', e)),
          connectTimeoutSec: server.connectTimeoutSec,
          protocol: server.protocol ?? 'auto',
        },
        trust: {
          ...state,
          specHash: launchSpecHash(server),
          spec: {
            ...launchSpecOf(server, resolveCommand(server.command, env, workingDirectoryOf(server.cwd, env))),
            workingDirectory: workingDirectoryOf(server.cwd, env),
          },
        },
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
        protocol: server.protocol ?? 'auto',
      },
    };
  }

  private secretView(id: string, kind: SecretKind, entry: Secretable): SecretableView {
    return entry.secret
      ? { name: entry.name, secret: true, hasValue: this.deps.vault.has(keyOf(id, kind, entry.name)) }
      : { name: entry.name, secret: false, value: entry.value ?? '', hasValue: true };
  }

  // ---- secrets ---------------------------------------------------------------

  /**
   * The values to inject at start (env of a stdio server, headers of a remote one),
   * secret ones read from the vault; or the first secret that cannot be used, and why.
   */
  async resolveValues(
    id: string,
    kind: SecretKind,
    entries: Secretable[],
  ): Promise<{ values: Record<string, string>; secrets: string[] } | { unusable: string; why: string }> {
    const values: Record<string, string> = {};
    const secrets: string[] = [];
    for (const entry of entries) {
      if (!entry.secret) {
        values[entry.name] = entry.value ?? '';
        continue;
      }
      const read = await this.deps.vault.get(keyOf(id, kind, entry.name));
      if (read.status !== 'ok') return { unusable: entry.name, why: read.status === 'missing' ? 'is not stored' : `cannot be used: ${read.reason}` };
      values[entry.name] = read.value;
      secrets.push(read.value);
    }
    return { values, secrets };
  }

  private async toStored(id: string, input: ServerInput, previous: StoredServer | undefined): Promise<StoredServer> {
    const others = this.deps.repo
      .list()
      .servers.filter((s) => s.id !== id)
      .map((s) => s.name);
    if (input.transport === 'stdio') {
      const parsed = StdioServerInputSchema.parse(input);
      validateStdio(parsed, others, await this.deps.env(), (name) => this.deps.vault.has(vaultKey.serverEnv(id, name)));
      const env = await this.storeSecrets(id, 'env', parsed.env, previous?.transport === 'stdio' ? previous.env : []);
      return {
        id,
        name: parsed.name.trim(),
        enabled: parsed.enabled,
        transport: 'stdio',
        command: parsed.command.trim(),
        args: parsed.args,
        cwd: parsed.cwd || undefined,
        env,
        connectTimeoutSec: parsed.connectTimeoutSec,
        protocol: parsed.protocol,
      };
    }
    const parsed = HttpServerInputSchema.parse(input);
    const url = validateHttp(parsed, others, (name) => this.deps.vault.has(vaultKey.serverHeader(id, name)));
    const headers = await this.storeSecrets(id, 'header', parsed.headers, previous?.transport === 'http' ? previous.headers : []);
    const oauthClient = await storeOAuthClient(this.deps.vault, id, parsed.oauthClient);
    return {
      id,
      name: parsed.name.trim(),
      enabled: parsed.enabled,
      transport: 'http',
      url: url.href,
      mode: parsed.mode,
      headers,
      oauthClient,
      omitResourceParameter: parsed.omitResourceParameter,
      clientMetadataUrl: parsed.clientMetadataUrl || undefined,
      connectTimeoutSec: parsed.connectTimeoutSec,
      protocol: parsed.protocol,
    };
  }

  private async storeSecrets(id: string, kind: SecretKind, entries: Secretable[], previous: { name: string; secret: boolean }[]): Promise<Secretable[]> {
    const out: Secretable[] = [];
    for (const entry of entries) {
      const key = keyOf(id, kind, entry.name);
      if (entry.secret) {
        if (entry.value !== undefined) await this.deps.vault.put(key, entry.value);
        out.push({ name: entry.name, secret: true });
      } else {
        this.deps.vault.delete(key);
        out.push({ name: entry.name, secret: false, value: entry.value ?? '' });
      }
    }
    for (const old of previous) if (old.secret && !entries.some((e) => e.name === old.name && e.secret)) this.deps.vault.delete(keyOf(id, kind, old.name));
    return out;
  }
}
