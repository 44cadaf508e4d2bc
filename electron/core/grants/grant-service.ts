import type { ConsentPlanView, GrantView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { AuthRequiredError, StepUpRequiredError, type AuthManager, type AuthServerRef } from '../auth';
import type { Emit } from '../events';
import { connectRemote } from '../remote/remote-connection';
import type { ConnectionContext, RemoteConnector } from '../servers/server-manager';
import { serverInfo } from '../servers/server-manager';
import type { ServerRepo, StoredHttpServer } from '../servers/server-repo';
import type { Vault } from '../vault/vault';

// Joins remote connections and OAuth: the connector the ServerManager uses for
// HTTP servers, and the IPC face of sign-in, consent and grants. It remembers
// the last WWW-Authenticate challenge per server so the consent screen can show
// exactly what the server asked for (and the step-up delta).

export interface GrantServiceDeps {
  auth: AuthManager;
  repo: ServerRepo;
  vault: Vault;
  emit: Emit;
  /** Reconnects a server after a first sign-in. */
  reconnect: (serverId: string) => Promise<unknown>;
  /** Ends the connection after the grant is gone (revoke, sign out). */
  signedOut: (serverId: string) => Promise<void>;
  /** Observes every JSON-RPC message of remote servers (traffic view). */
  observeMessage?: (serverId: string, direction: 'in' | 'out', message: unknown) => void;
  /** Observes HTTP requests of the MCP transport (traffic view). */
  wrapFetch?: (serverId: string, fetchImpl: typeof fetch) => typeof fetch;
}

interface Challenge {
  raw?: string;
  stepUp: boolean;
}

export class GrantService implements RemoteConnector {
  private readonly challenges = new Map<string, Challenge>();
  private readonly planServers = new Map<string, string>();

  constructor(private readonly deps: GrantServiceDeps) {}

  /** The fetch every remote transport uses: Bearer tokens, refresh, and challenge capture. */
  fetchFor(serverId: string): typeof fetch {
    const authed = this.deps.auth.fetchFor(serverId);
    const capturing = (async (input: string | URL | Request, init?: RequestInit) => {
      try {
        return await authed(input, init);
      } catch (error) {
        if (error instanceof StepUpRequiredError) this.challenges.set(serverId, { raw: error.challenge, stepUp: true });
        else if (error instanceof AuthRequiredError) this.challenges.set(serverId, { raw: error.challenge, stepUp: false });
        throw error;
      }
    }) as typeof fetch;
    return this.deps.wrapFetch ? this.deps.wrapFetch(serverId, capturing) : capturing;
  }

  async connect(server: StoredHttpServer, ctx: ConnectionContext) {
    const client = ctx.createClient();
    try {
      const session = await connectRemote({
        url: server.url,
        mode: server.mode,
        headers: ctx.headers,
        fetch: this.fetchFor(server.id),
        client,
        timeoutMs: ctx.timeoutMs,
        onMessage: this.deps.observeMessage ? (dir, msg) => this.deps.observeMessage!(server.id, dir, msg) : undefined,
        // Only a prefix of a session id is logged: the whole id lets anyone holding it speak in this session.
        onReconnected: (info) => ctx.log.push('system', `The server lost our session; started a new one (${info.sessionId ? `${info.sessionId.slice(0, 8)}…` : 'no session id'}).`),
      });
      ctx.log.push('system', `Connected over ${session.transportKind === 'sse' ? 'legacy HTTP+SSE' : 'Streamable HTTP'}${session.sessionId ? ` (session ${session.sessionId.slice(0, 8)}…)` : ''}`);
      return { client, info: serverInfo(client, session.protocolVersion, session.transportKind), close: () => session.close() };
    } catch (error) {
      await client.close().catch(() => undefined);
      if (error instanceof AuthRequiredError || (error instanceof IpcError && error.code === 'AUTH_REQUIRED')) {
        const grant = await this.deps.auth.getGrant(server.id);
        throw new IpcError('AUTH_REQUIRED', grant && !grant.needsSignIn ? `${server.name} needs more permissions. Sign in again to continue.` : `Sign in to ${server.name} to connect.`, { serverId: server.id, stepUp: error instanceof StepUpRequiredError });
      }
      throw error;
    }
  }

  async prepareSignIn(serverId: string, stepUp: boolean): Promise<ConsentPlanView> {
    const server = this.httpServer(serverId);
    const challenge = this.challenges.get(serverId);
    const plan = await this.deps.auth.prepareSignIn(await this.authRef(server), { challenge: challenge?.raw, stepUp: stepUp || Boolean(challenge?.stepUp) });
    this.planServers.set(plan.planId, serverId);
    return { ...plan, resourceSent: !server.omitResourceParameter, stepUp: stepUp || Boolean(challenge?.stepUp) };
  }

  async completeSignIn(planId: string): Promise<GrantView> {
    const serverId = this.planServers.get(planId);
    if (!serverId) throw new IpcError('NOT_FOUND', 'This sign-in was cancelled or has expired. Start again.');
    try {
      const grant = await this.deps.auth.completeSignIn(planId);
      this.challenges.delete(serverId);
      // Reconnect in the background; the renderer follows the status events.
      void this.deps.reconnect(serverId).catch(() => undefined);
      return grant;
    } finally {
      this.planServers.delete(planId);
    }
  }

  cancelSignIn(planId: string): void {
    this.deps.auth.cancelSignIn(planId);
    this.planServers.delete(planId);
  }

  getGrant(serverId: string): Promise<GrantView | undefined> {
    this.httpServer(serverId);
    return this.deps.auth.getGrant(serverId);
  }

  async revoke(serverId: string) {
    this.httpServer(serverId);
    const result = await this.deps.auth.revoke(serverId);
    if (!(await this.deps.auth.getGrant(serverId))) await this.deps.signedOut(serverId);
    return result;
  }

  async signOut(serverId: string): Promise<void> {
    this.httpServer(serverId);
    await this.deps.auth.signOut(serverId);
    await this.deps.signedOut(serverId);
  }

  async forget(serverId: string): Promise<void> {
    this.challenges.delete(serverId);
    await this.deps.auth.forget(serverId);
  }

  private httpServer(serverId: string): StoredHttpServer {
    const server = this.deps.repo.get(serverId);
    if (!server) throw new IpcError('NOT_FOUND', `No server with id ${serverId}.`);
    if (server.transport !== 'http') throw new IpcError('VALIDATION', 'Local (stdio) servers do not use sign-in; they get credentials from their environment.');
    return server;
  }

  private async authRef(server: StoredHttpServer): Promise<AuthServerRef> {
    const ref: AuthServerRef = { id: server.id, url: server.url, omitResourceParameter: server.omitResourceParameter, clientMetadataUrl: server.clientMetadataUrl };
    if (server.oauthClient) {
      const secret = server.oauthClient.hasClientSecret ? await this.deps.vault.read(`server:${server.id}:oauth-client-secret`) : undefined;
      const privateKeyPem = server.oauthClient.hasPrivateKey ? await this.deps.vault.read(`server:${server.id}:oauth-private-key`) : undefined;
      ref.oauthClient = {
        clientId: server.oauthClient.clientId,
        scopes: server.oauthClient.scopes,
        grantType: server.oauthClient.grantType,
        ...(secret ? { clientSecret: secret } : {}),
        ...(privateKeyPem ? { privateKeyPem } : {}),
      };
    }
    return ref;
  }
}
