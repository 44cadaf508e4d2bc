import type { ConsentPlanView, GrantView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { ServerRepo, StoredHttpServer } from '../servers';
import type { HookBus } from '../hooks';
import { vaultKey, type Vault } from '../vault';
import type { AuthManager } from './auth-manager';
import { AuthRequiredError, StepUpRequiredError } from './errors';
import type { AuthServerRef } from './types';

// Sign-in, consent and grants for the servers the user configured: the OAuth
// client (AuthManager) applied to a stored server, its pre-registered client
// secrets from the vault, and the last WWW-Authenticate challenge per server,
// so the consent screen shows exactly what the server asked for (and the
// step-up delta).

export interface SignInServiceDeps {
  auth: AuthManager;
  repo: ServerRepo;
  vault: Vault;
  /** Where sign-in and sign-out are announced (the servers feature reconnects or disconnects). */
  hooks: HookBus;
}

interface Challenge {
  raw?: string;
  stepUp: boolean;
}

export class SignInService {
  private readonly challenges = new Map<string, Challenge>();
  private readonly planServers = new Map<string, string>();

  constructor(private readonly deps: SignInServiceDeps) {}

  /** The fetch every remote transport uses: Bearer tokens, refresh, and challenge capture. */
  fetchFor(serverId: string): typeof fetch {
    const authed = this.deps.auth.fetchFor(serverId);
    const remember = (error: unknown): never => {
      if (error instanceof StepUpRequiredError) this.challenges.set(serverId, { raw: error.challenge, stepUp: true });
      else if (error instanceof AuthRequiredError) this.challenges.set(serverId, { raw: error.challenge, stepUp: false });
      throw error;
    };
    return ((input: string | URL | Request, init?: RequestInit) => authed(input, init).catch(remember)) as typeof fetch;
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
      this.deps.hooks.emit('signedIn', { serverId });
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
    if (!(await this.deps.auth.getGrant(serverId))) await this.deps.hooks.emitAndWait('signedOut', { serverId });
    return result;
  }

  async signOut(serverId: string): Promise<void> {
    this.httpServer(serverId);
    await this.deps.auth.signOut(serverId);
    await this.deps.hooks.emitAndWait('signedOut', { serverId });
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
    const ref: AuthServerRef = {
      id: server.id,
      url: server.url,
      omitResourceParameter: server.omitResourceParameter,
      clientMetadataUrl: server.clientMetadataUrl,
    };
    const c = server.oauthClient;
    if (c) {
      const secret = c.hasClientSecret ? await this.deps.vault.read(vaultKey.oauthClientSecret(server.id)) : undefined;
      const privateKeyPem = c.hasPrivateKey ? await this.deps.vault.read(vaultKey.oauthPrivateKey(server.id)) : undefined;
      ref.oauthClient = {
        clientId: c.clientId,
        scopes: c.scopes,
        grantType: c.grantType === 'client_credentials' ? 'client_credentials' : 'authorization_code',
        ...(secret ? { clientSecret: secret } : {}),
        ...(privateKeyPem ? { privateKeyPem } : {}),
      };
      // Workload identity: the JWT is read where it lives at each sign-in and renewal (a pasted one from the vault).
      const wt = c.grantType === 'workload_identity' ? c.workloadToken : undefined;
      if (wt?.source === 'file' && wt.path) ref.workloadIdentity = { kind: 'file', path: wt.path };
      else if (wt?.source === 'env' && wt.envVar) ref.workloadIdentity = { kind: 'env', name: wt.envVar };
      else if (wt?.source === 'stored') ref.workloadIdentity = { kind: 'vault', key: vaultKey.oauthWorkloadToken(server.id) };
      const e = c.grantType === 'enterprise' ? c.enterprise : undefined;
      if (e) {
        const idpClientSecret = e.hasIdpClientSecret ? await this.deps.vault.read(vaultKey.oauthIdpClientSecret(server.id)) : undefined;
        ref.enterprise = {
          idpIssuer: e.idpIssuer,
          idpClientId: e.idpClientId,
          ...(e.idpTokenEndpoint ? { idpTokenEndpoint: e.idpTokenEndpoint } : {}),
          ...(idpClientSecret ? { idpClientSecret } : {}),
        };
      }
    }
    return ref;
  }
}
