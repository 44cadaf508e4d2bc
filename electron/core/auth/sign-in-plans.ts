import { randomUUID } from 'node:crypto';
import { IpcError } from '../../../shared/contract/errors';
import { assertSafeUrl } from '../net/url-policy';
import type { AuthContext } from './auth-context';
import { registrationFor } from './client-registration';
import { discover, type DiscoveryResult } from './discovery';
import { dpopAlgorithmFor, dpopKeyName, type DpopKey } from './dpop';
import type { GrantStore, StoredGrant, TokenEndpointAuthMethod, TokenSet } from './grant-store';
import type { LoopbackListener } from './loopback';
import { checkAssertionSource, describeAssertionSource, renewableSource } from './workload-assertion';
import { splitScope } from './oauth-errors';
import type { AuthServerRef, ConsentPlan, GrantKind, GrantView, PrepareSignInOptions, RegistrationKind } from './types';

// The consent plan: discovery and scope selection before anything is sent to
// the authorization server on the user's behalf, the step-up limit, and the
// pending plans a sign-in flow completes (or the user cancels).

const PLAN_TTL_MS = 15 * 60_000;
const MAX_STEP_UP = 3;
const STEP_UP_WINDOW_MS = 10 * 60_000;

export interface Plan {
  plan: ConsentPlan;
  server: AuthServerRef;
  discovery: DiscoveryResult;
  createdAt: number;
  listener?: LoopbackListener;
  started?: boolean;
  cancelled?: boolean;
}

/** Which grant a server's configuration asks for; throws VALIDATION when it is incomplete. */
function grantKindFor(server: AuthServerRef): GrantKind {
  const c = server.oauthClient;
  if (server.enterprise) {
    const e = server.enterprise;
    if (!c?.clientId)
      throw new IpcError('VALIDATION', "Enterprise-managed authorization needs the client ID this app has at the MCP server's authorization server");
    if (!e.idpClientId) throw new IpcError('VALIDATION', 'Enterprise-managed authorization needs the client ID this app has at the identity provider');
    if (!e.idpIssuer && !e.idpTokenEndpoint) throw new IpcError('VALIDATION', "Enterprise-managed authorization needs the identity provider's issuer URL");
    if (e.idpTokenEndpoint) assertSafeUrl(e.idpTokenEndpoint, 'auth-configured', { what: 'identity provider token endpoint' });
    if (e.idpIssuer) assertSafeUrl(e.idpIssuer, 'auth-configured', { what: 'identity provider issuer' });
    return 'jwt-bearer';
  }
  if (server.workloadIdentity) {
    if (!c?.clientId) throw new IpcError('VALIDATION', "Workload identity needs the client ID the workload has at the MCP server's authorization server");
    checkAssertionSource(server.workloadIdentity);
    return 'workload-identity';
  }
  if (c?.grantType === 'client_credentials') {
    if (!c.clientId || (!c.clientSecret && !c.privateKeyPem))
      throw new IpcError('VALIDATION', 'The client_credentials grant needs a client ID with a client secret or a private key');
    return 'client_credentials';
  }
  return 'authorization_code';
}

/** The IdP as the consent screen names it: its issuer, else its token endpoint's origin. */
function identityProviderName(server: AuthServerRef): string | undefined {
  const e = server.enterprise;
  if (!e) return undefined;
  return (e.idpIssuer ?? new URL(e.idpTokenEndpoint!).origin).replace(/\/$/, '');
}

export class SignInPlans {
  private readonly plans = new Map<string, Plan>();
  private readonly stepUps = new Map<string, { count: number; first: number }>();

  constructor(
    private readonly ctx: AuthContext,
    private readonly grants: GrantStore,
  ) {}

  /** Discovery and scope selection; no browser. Throws AUTH_FAILED on hostile or unusable metadata. */
  async prepare(server: AuthServerRef, opts: PrepareSignInOptions = {}): Promise<ConsentPlan> {
    this.pruneExpired();
    const grantType = grantKindFor(server);
    const d = await discover(server.url, {
      challenge: opts.challenge,
      configuredScopes: server.oauthClient?.scopes,
      fetchFn: this.ctx.instrumented('discovery', server.id),
      protocolVersion: this.ctx.deps.protocolVersion,
      // Discovery only tells browser grants from the others (PKCE metadata is required for the browser).
      grantType: grantType === 'workload-identity' ? 'jwt-bearer' : grantType,
    });
    const existing = this.grants.grant(server.id);
    const granted = existing && existing.issuer === d.issuer && existing.resource === d.resource ? existing.scopesGranted : [];
    let scopes = d.scopes;
    let scopeSource = d.scopeSource;
    if (opts.stepUp) {
      const required = d.challenge.scopes;
      const key = `${server.id} ${[...required].sort().join(' ')}`;
      const now = this.ctx.clock.now();
      const entry = this.stepUps.get(key);
      const count = entry && now - entry.first < STEP_UP_WINDOW_MS ? entry.count + 1 : 1;
      if (count > MAX_STEP_UP) {
        throw new IpcError(
          'AUTH_FAILED',
          `The server keeps asking for more permissions (${required.join(' ') || 'unspecified scopes'}) after ${MAX_STEP_UP} attempts; treating this as a permanent authorization failure`,
          { serverId: server.id, reason: 'step-up-limit' },
        );
      }
      this.stepUps.set(key, { count, first: entry && count > 1 ? entry.first : now });
      scopes = [...new Set([...(existing?.scopesRequested ?? []), ...granted, ...d.scopes])];
      scopeSource = d.challenge.scopes.length ? 'challenge' : d.scopeSource;
    }
    // A machine client gets no refresh token (RFC 6749 §4.4.3), so offline_access means nothing there; nor does a workload.
    if ((grantType === 'client_credentials' || grantType === 'workload-identity') && d.offlineAccessAdded)
      scopes = scopes.filter((s) => s !== 'offline_access');
    const plan: ConsentPlan = {
      planId: randomUUID(),
      serverId: server.id,
      serverUrl: d.serverUrl,
      resource: d.resource,
      issuer: d.issuer,
      issuerRelation: d.issuerRelation,
      registration: registrationFor(this.grants, server, d),
      scopes,
      scopeSource,
      grantType,
      // The delta against what the user already consented to. ASes rarely echo offline_access in the token
      // response `scope`; a grant that holds a refresh token has it in effect, so it is not "new".
      addedScopes: scopes.filter((s) => !granted.includes(s) && !(s === 'offline_access' && existing?.hasRefreshToken && granted.length > 0)),
      revocationSupported: Boolean(d.endpoints.revocation),
    };
    const idp = identityProviderName(server);
    if (idp) plan.identityProvider = idp;
    if (server.workloadIdentity) plan.assertionSource = describeAssertionSource(server.workloadIdentity);
    const dpopAlg = dpopAlgorithmFor(d.metadata);
    if (dpopAlg) plan.dpopAlg = dpopAlg;
    // SEP-2352: the server now names another authorization server. Registrations are kept per issuer, so the
    // sign-in registers there anew; the user is told the server moved (the old grant is replaced on success).
    if (existing && existing.issuer !== d.issuer) plan.movedFromIssuer = existing.issuer;
    // Codes and client secrets go to the token endpoint: name its origin when it is not the issuer's.
    const tokenOrigin = new URL(d.endpoints.token).origin;
    if (tokenOrigin !== new URL(d.issuer).origin) plan.tokenEndpointOrigin = tokenOrigin;
    this.plans.set(plan.planId, {
      plan,
      server: {
        ...server,
        oauthClient: server.oauthClient ? { ...server.oauthClient } : undefined,
        enterprise: server.enterprise ? { ...server.enterprise } : undefined,
      },
      discovery: d,
      createdAt: this.ctx.clock.now(),
    });
    return plan;
  }

  /** Marks a pending plan as started (one completion per plan). */
  start(planId: string): Plan {
    const p = this.plans.get(planId);
    if (!p) throw new IpcError('NOT_FOUND', 'This sign-in is no longer pending; start it again');
    if (p.started) throw new IpcError('CONFLICT', 'This sign-in is already in progress');
    p.started = true;
    return p;
  }

  /** The plan is over (completed or failed). */
  finish(planId: string): void {
    this.plans.delete(planId);
  }

  /** Abandons a plan; a pending browser flow stops and nothing stored changes. */
  cancel(planId: string): void {
    const p = this.plans.get(planId);
    if (!p) return;
    p.cancelled = true;
    p.listener?.close('Sign-in was cancelled');
    this.plans.delete(planId);
  }

  /** The server is gone or signed out: its plans and step-up counters go too (`plans: false` keeps pending plans). */
  forgetServer(serverId: string, { plans = true } = {}): void {
    if (plans) for (const [id, p] of this.plans) if (p.plan.serverId === serverId) this.cancel(id);
    for (const key of [...this.stepUps.keys()]) if (key.startsWith(`${serverId} `)) this.stepUps.delete(key);
  }

  private pruneExpired(): void {
    const now = this.ctx.clock.now();
    for (const [id, p] of this.plans) if (now - p.createdAt > PLAN_TTL_MS && !p.started) this.plans.delete(id);
  }
}

/** The client a completed sign-in used. */
export interface SignedInClient {
  clientId: string;
  clientKey: string;
  registration: RegistrationKind;
  method: TokenEndpointAuthMethod;
  secret?: string;
  signingAlgorithm?: string;
  grantType: GrantKind;
  sendResource: boolean;
  /** DPoP: the new grant's key and its vault record. */
  dpop?: { key: DpopKey; record: string };
}

/** What a renewal needs that is not in the client: where a workload reads its JWT again. */
export function renewalFor(server: AuthServerRef): Pick<StoredGrant, 'workloadAssertion'> {
  const source = server.workloadIdentity && renewableSource(server.workloadIdentity);
  return source ? { workloadAssertion: source } : {};
}

/** Stores the tokens (one vault write) and the grant metadata of a completed sign-in. */
export async function storeSignIn(
  ctx: AuthContext,
  grants: GrantStore,
  p: Plan,
  c: SignedInClient,
  tokens: { access_token: string; token_type?: string; refresh_token?: string; scope?: string; expires_in?: number },
): Promise<GrantView> {
  const { server, discovery: d, plan } = p;
  const now = ctx.clock.now();
  const granted = splitScope(tokens.scope);
  const set: TokenSet = { access_token: tokens.access_token, token_type: tokens.token_type };
  if (tokens.refresh_token) set.refresh_token = tokens.refresh_token;
  ctx.learn(server.id, tokens.access_token, tokens.refresh_token, c.secret);
  const grant: StoredGrant = {
    serverId: server.id,
    serverUrl: d.serverUrl,
    issuer: d.issuer,
    resource: d.resource,
    sendResource: c.sendResource,
    clientId: c.clientId,
    clientKey: c.clientKey,
    registration: c.registration,
    grantType: c.grantType,
    tokenEndpointAuthMethod: c.method,
    metadata: d.metadata,
    scopesRequested: plan.scopes,
    scopesGranted: granted.length ? granted : plan.scopes,
    hasRefreshToken: Boolean(tokens.refresh_token),
    needsSignIn: false,
    createdAt: now,
  };
  if (c.signingAlgorithm) grant.signingAlgorithm = c.signingAlgorithm;
  Object.assign(grant, renewalFor(server));
  if (c.dpop) {
    grant.dpop = { alg: c.dpop.key.alg, jkt: c.dpop.key.jkt };
    grant.senderConstrained = tokens.token_type?.toLowerCase() === 'dpop';
  }
  if (typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in)) grant.accessTokenExpiresAt = now + tokens.expires_in * 1000;
  await grants.store(grant, set, c.registration === 'pre-registered' ? c.secret : undefined, c.dpop?.record);
  if (c.dpop) ctx.dpopKeys.set(dpopKeyName(grant), c.dpop.key);
  return (await grants.view(server.id))!;
}
