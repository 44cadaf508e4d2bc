import { settingsKey } from '../settings';
import { vaultKey } from '../vault';
import type { AuthContext } from './auth-context';
import type { AuthorizationServerInfo } from './discovery';
import { dpopKeyName, type DpopBinding } from './dpop';
import type { GrantKind, GrantView, RegistrationKind } from './types';
import type { RenewableAssertionSource } from './workload-assertion';

// Where grants and registered clients live. Tokens and client secrets only in
// the Vault (encrypted); non-secret grant metadata in the settings store under
// `auth.grants` (per server id), registered clients under `auth.clients`.

export type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

export interface StoredClient {
  issuer: string;
  clientId: string;
  registration: RegistrationKind;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  redirectPath: string;
  registeredAt: number;
}

/** What settings keep about a grant (no token values): the view's fields plus what refresh and revocation need. */
export interface StoredGrant extends Pick<
  GrantView,
  | 'serverId'
  | 'issuer'
  | 'resource'
  | 'clientId'
  | 'registration'
  | 'scopesRequested'
  | 'scopesGranted'
  | 'accessTokenExpiresAt'
  | 'hasRefreshToken'
  | 'lastRefreshAt'
  | 'lastError'
  | 'needsSignIn'
> {
  serverUrl: string;
  sendResource: boolean;
  clientKey: string; // key in auth.clients, or 'pre-registered'
  /** Absent in grants stored before client_credentials / jwt-bearer existed: 'authorization_code'. */
  grantType?: GrantKind;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** private_key_jwt: the JWS algorithm (the key itself is in the vault with the client secrets). */
  signingAlgorithm?: string;
  /** Workload identity: where the JWT is read again for a new access token (a path, variable name or vault key; never the token). */
  workloadAssertion?: RenewableAssertionSource;
  metadata: AuthorizationServerInfo;
  createdAt: number;
  /** DPoP (RFC 9449): the grant's key (in the vault under dpopKeyName) and whether the access token is bound to it. */
  dpop?: DpopBinding;
  /** token_type of the last token response was DPoP (the access token is sender-constrained). */
  senderConstrained?: boolean;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
}

export const tokenKey = vaultKey.authGrant;
export const clientSecretKey = vaultKey.authClientSecret;

/** How long one read of the grants serves the requests that follow it (our own writes drop it at once). */
const GRANTS_REUSE_MS = 100;

export class GrantStore {
  constructor(private readonly ctx: AuthContext) {}

  private get kv() {
    return this.ctx.deps.store;
  }
  private get vault() {
    return this.ctx.deps.vault;
  }

  private get grantsKey() {
    return settingsKey(this.kv, 'auth.grants');
  }
  private get clientsKey() {
    return settingsKey(this.kv, 'auth.clients');
  }

  private grants(): Record<string, StoredGrant> {
    return { ...(this.grantsKey.read() as Record<string, StoredGrant>) };
  }
  /**
   * Read on every MCP request. The store re-reads its file when it changed (so edits by another
   * process are seen) and every read is validated again; requests within GRANTS_REUSE_MS share one
   * read, dropped at once when this store writes grants. (Not "one turn of the event loop": the
   * setImmediate that ended a turn's read cost an extra loop iteration, ~0.05 ms, on every request.)
   * Callers never mutate it.
   */
  grant(serverId: string): StoredGrant | undefined {
    const now = performance.now();
    let recent = this.recentGrants;
    if (!recent || now - recent.at > GRANTS_REUSE_MS) recent = this.recentGrants = { at: now, all: this.grantsKey.read() as Record<string, StoredGrant> };
    return Object.hasOwn(recent.all, serverId) ? recent.all[serverId] : undefined;
  }
  private recentGrants?: { at: number; all: Record<string, StoredGrant> };
  saveGrant(g: StoredGrant): void {
    const all = this.grants();
    all[g.serverId] = g;
    this.recentGrants = undefined;
    this.grantsKey.write(all);
  }
  updateGrant(serverId: string, patch: Partial<StoredGrant>): StoredGrant | undefined {
    const g = this.grant(serverId);
    if (!g) return undefined;
    const next = { ...g, ...patch };
    for (const k of Object.keys(patch) as (keyof StoredGrant)[]) if (patch[k] === undefined) delete next[k];
    this.saveGrant(next);
    return next;
  }
  deleteGrant(serverId: string): void {
    const all = this.grants();
    if (Object.hasOwn(all, serverId)) {
      delete all[serverId];
      this.recentGrants = undefined;
      this.grantsKey.write(all);
    }
  }
  clients(): Record<string, StoredClient> {
    return { ...(this.clientsKey.read() as Record<string, StoredClient>) };
  }
  saveClient(key: string, c: StoredClient): void {
    const all = this.clients();
    all[key] = c;
    this.clientsKey.write(all);
  }
  deleteClient(key: string): void {
    const all = this.clients();
    if (Object.hasOwn(all, key)) {
      delete all[key];
      this.clientsKey.write(all);
    }
    this.vault.delete(clientSecretKey(key));
  }
  async readTokens(g: StoredGrant): Promise<TokenSet | undefined> {
    const r = await this.vault.get(tokenKey(g));
    if (r.status !== 'ok') return undefined;
    try {
      const t = JSON.parse(r.value) as TokenSet;
      if (typeof t.access_token !== 'string') return undefined;
      this.ctx.learn(g.serverId, t.access_token, t.refresh_token);
      return t;
    } catch {
      return undefined;
    }
  }

  /** The grant as the UI sees it: no token values; where the tokens are and whether sign-in is needed. */
  async view(serverId: string): Promise<GrantView | undefined> {
    const g = this.grant(serverId);
    if (!g) return undefined;
    const read = await this.vault.get(tokenKey(g));
    const view: GrantView = {
      serverId: g.serverId,
      issuer: g.issuer,
      resource: g.resource,
      clientId: g.clientId,
      registration: g.registration,
      grantType: g.grantType ?? 'authorization_code',
      scopesRequested: [...g.scopesRequested],
      scopesGranted: [...g.scopesGranted],
      hasRefreshToken: g.hasRefreshToken && read.status === 'ok',
      revocationSupported: Boolean(g.metadata.revocation_endpoint),
      // Where the tokens are now, not where new ones would go (the user may have opted in since).
      storage: this.vault.location(tokenKey(g)) === 'disk' ? 'encrypted' : 'memory',
      needsSignIn: g.needsSignIn || read.status !== 'ok',
    };
    if (g.dpop) view.dpop = { alg: g.dpop.alg, thumbprint: g.dpop.jkt, senderConstrained: Boolean(g.senderConstrained) };
    if (g.accessTokenExpiresAt !== undefined) view.accessTokenExpiresAt = g.accessTokenExpiresAt;
    if (g.lastRefreshAt !== undefined) view.lastRefreshAt = g.lastRefreshAt;
    if (g.lastError) view.lastError = g.lastError;
    else if (read.status === 'undecryptable') view.lastError = `Stored tokens cannot be decrypted (${read.reason}); sign in again`;
    else if (read.status === 'missing' && !g.needsSignIn) view.lastError = 'No stored tokens (they were kept in memory only); sign in again';
    return view;
  }

  /** Stores a new grant's tokens (one vault write: access and refresh token land together) and its metadata. */
  async store(grant: StoredGrant, tokens: TokenSet, preRegisteredSecret?: string, dpopKeyRecord?: string): Promise<void> {
    const previous = this.grant(grant.serverId);
    if (preRegisteredSecret) await this.vault.put(clientSecretKey(grant.clientKey), preRegisteredSecret);
    if (dpopKeyRecord) await this.vault.put(dpopKeyName(grant), dpopKeyRecord);
    else this.vault.delete(dpopKeyName(grant));
    await this.vault.put(tokenKey(grant), JSON.stringify(tokens));
    if (previous && tokenKey(previous) !== tokenKey(grant)) this.vault.delete(tokenKey(previous));
    if (previous && dpopKeyName(previous) !== dpopKeyName(grant)) this.vault.delete(dpopKeyName(previous));
    this.saveGrant(grant);
    this.ctx.changed(grant.serverId);
  }

  /** Deletes a grant's tokens and metadata on this computer. */
  removeLocal(g: StoredGrant): void {
    this.vault.delete(tokenKey(g));
    this.vault.delete(dpopKeyName(g));
    this.ctx.dpopKeys.delete(dpopKeyName(g));
    this.deleteGrant(g.serverId);
  }
}
