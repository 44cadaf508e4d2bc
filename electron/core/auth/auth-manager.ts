import { vaultKey } from '../vault';
import { createAuthContext, type AuthContext } from './auth-context';
import { completeWithBrowser } from './authorization-code-flow';
import { AuthorizedFetch } from './authorized-fetch';
import { completeWithoutBrowser } from './browserless-flows';
import { GrantStore, type StoredGrant } from './grant-store';
import { revokeGrant } from './revocation';
import { SignInPlans } from './sign-in-plans';
import type { AuthManagerDeps, AuthServerRef, CompleteSignInOptions, ConsentPlan, GrantView, PrepareSignInOptions, RevokeResult } from './types';

// The one entry point of the MCP OAuth client: composes the grant store, the
// consent plans, the sign-in flows (browser: authorization-code-flow.ts;
// without: browserless-flows.ts), the authorized fetch and revocation.

export class AuthManager {
  private readonly ctx: AuthContext;
  private readonly grants: GrantStore;
  private readonly plans: SignInPlans;
  private readonly authorized: AuthorizedFetch;

  constructor(deps: AuthManagerDeps) {
    this.ctx = createAuthContext(deps);
    this.grants = new GrantStore(this.ctx);
    this.plans = new SignInPlans(this.ctx, this.grants);
    this.authorized = new AuthorizedFetch(this.ctx, this.grants);
  }

  /** Discovery and scope selection; no browser. Throws AUTH_FAILED on hostile or unusable metadata. */
  prepareSignIn(server: AuthServerRef, opts: PrepareSignInOptions = {}): Promise<ConsentPlan> {
    return this.plans.prepare(server, opts);
  }

  /** Abandons a plan; a pending browser flow stops and nothing stored changes. */
  cancelSignIn(planId: string): void {
    this.plans.cancel(planId);
  }

  /** Runs the plan's flow (browser, or client_credentials / jwt-bearer without one) and stores the grant. */
  async completeSignIn(planId: string, opts: CompleteSignInOptions = {}): Promise<GrantView> {
    const p = this.plans.start(planId);
    try {
      return p.plan.grantType === 'authorization_code'
        ? await completeWithBrowser(this.ctx, this.grants, p)
        : await completeWithoutBrowser(this.ctx, this.grants, p, opts);
    } finally {
      this.plans.finish(planId);
    }
  }

  getGrant(serverId: string): Promise<GrantView | undefined> {
    return this.grants.view(serverId);
  }

  /** A fetch for the MCP transport of this server (see authorized-fetch.ts). */
  fetchFor(serverId: string): typeof fetch {
    return this.authorized.fetchFor(serverId);
  }

  /** RFC 7009 revocation (refresh token, then access token), then local deletion. */
  async revoke(serverId: string): Promise<RevokeResult> {
    const g = this.grants.grant(serverId);
    if (!g) return { revokedAtServer: false, message: 'There is no sign-in to revoke for this server' };
    return revokeGrant(this.ctx, this.grants, g, (grant) => this.removeLocal(grant));
  }

  /** Deletes the tokens on this computer only; the grant at the AS stays. */
  async signOut(serverId: string): Promise<void> {
    const g = this.grants.grant(serverId);
    if (g) this.removeLocal(g);
  }

  /** Called when the server is removed: tokens, grant metadata, its pre-registered secret, plans. */
  async forget(serverId: string): Promise<void> {
    const g = this.grants.grant(serverId);
    if (g) this.removeLocal(g);
    this.ctx.deps.vault.deletePrefix(vaultKey.authGrantPrefix(serverId));
    this.ctx.deps.vault.deletePrefix(vaultKey.authDpopKeyPrefix(serverId));
    this.grants.deleteClient(`pre ${serverId}`);
    this.plans.forgetServer(serverId);
  }

  private removeLocal(g: StoredGrant): void {
    this.grants.removeLocal(g);
    this.plans.forgetServer(g.serverId, { plans: false });
    this.ctx.changed(g.serverId);
  }
}
