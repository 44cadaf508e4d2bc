import { createPrivateKey, randomUUID, webcrypto, type KeyObject } from 'node:crypto';
import * as oidc from 'openid-client';
import { checkResourceAllowed } from '@modelcontextprotocol/sdk/shared/auth-utils.js';
import { IpcError } from '../../../shared/contract/errors';
import { systemClock, type Clock } from '../ports';
import { parseWwwAuthenticate } from './challenge';
import { discover, type AuthorizationServerInfo, type DiscoveryResult, type FetchFn } from './discovery';
import { AuthRequiredError, StepUpRequiredError } from './errors';
import { startLoopbackListener, type LoopbackListener } from './loopback';
import type { AuthManagerDeps, AuthServerRef, CompleteSignInOptions, ConsentPlan, GrantKind, GrantView, HttpExchangePhase, PrepareSignInOptions, RegistrationKind, RevokeResult } from './types';
import { assertSafeAuthUrl, isLoopbackHost } from './url-guard';

// Orchestrates MCP OAuth for Switchboard: discovery (discovery.ts), client
// registration, PKCE authorization code flow through the loopback listener,
// token storage in the Vault, refresh, step-up and revocation. The OAuth
// protocol work itself is done by openid-client.
//
// Storage: tokens and client secrets only in the Vault (encrypted). Non-secret
// grant metadata in the settings store under `auth.grants`, registered clients
// under `auth.clients` (keyed by issuer).

const GRANTS_KEY = 'auth.grants';
const CLIENTS_KEY = 'auth.clients';
const PLAN_TTL_MS = 15 * 60_000;
const MAX_STEP_UP = 3;
const STEP_UP_WINDOW_MS = 10 * 60_000;
/** Sentinel URL: openid-client asks for it during DCR and gets the metadata we already validated. */
const VALIDATED_METADATA_PATH = '/.well-known/switchboard-validated-metadata';

type TokenEndpointAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const GRANT_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

interface StoredClient {
  issuer: string;
  clientId: string;
  registration: RegistrationKind;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  redirectPath: string;
  registeredAt: number;
}

/** What settings keep about a grant (no token values): the view's fields plus what refresh and revocation need. */
interface StoredGrant
  extends Pick<GrantView, 'serverId' | 'issuer' | 'resource' | 'clientId' | 'registration' | 'scopesRequested' | 'scopesGranted' | 'accessTokenExpiresAt' | 'hasRefreshToken' | 'lastRefreshAt' | 'lastError' | 'needsSignIn'> {
  serverUrl: string;
  sendResource: boolean;
  clientKey: string; // key in auth.clients, or 'pre-registered'
  /** Absent in grants stored before client_credentials / jwt-bearer existed: 'authorization_code'. */
  grantType?: GrantKind;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** private_key_jwt: the JWS algorithm (the key itself is in the vault with the client secrets). */
  signingAlgorithm?: string;
  metadata: AuthorizationServerInfo;
  createdAt: number;
}

interface TokenSet {
  access_token: string;
  refresh_token?: string;
  token_type?: string;
}

interface Plan {
  plan: ConsentPlan;
  server: AuthServerRef;
  discovery: DiscoveryResult;
  createdAt: number;
  listener?: LoopbackListener;
  started?: boolean;
  cancelled?: boolean;
}

const tokenKey = (g: { serverId: string; issuer: string; resource: string }) => `auth:grant:${g.serverId}:${g.issuer} ${g.resource}`;
const clientSecretKey = (clientKey: string) => `auth:client:${clientKey}`;

function headersToRecord(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(h ?? {}).forEach((v, k) => (out[k] = v));
  return out;
}

/** Removes every occurrence of the given secret values from a message. */
function redact(message: string, secrets: (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

const cleanText = (s: unknown, max = 200) => String(s ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);

/** A secret-free, human-readable description of an openid-client / network error. */
function describeOAuthError(error: unknown, secrets: (string | undefined)[] = [], party = 'the authorization server'): { message: string; oauthError?: string; network: boolean } {
  if (error instanceof IpcError) return { message: redact(error.message, secrets), network: false };
  if (error instanceof oidc.ResponseBodyError) {
    const desc = error.error_description ? `: ${cleanText(error.error_description)}` : '';
    return { message: redact(`${party} answered "${cleanText(error.error, 64)}"${desc} (HTTP ${error.status})`, secrets), oauthError: String(error.error), network: false };
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) return { message: `${party} answered HTTP ${error.status}`, network: false };
  if (error instanceof oidc.ClientError) {
    const cause = (error as { cause?: unknown }).cause;
    const causeMsg = cause instanceof Error && /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket|network|aborted|timeout/i.test(`${cause.message} ${(cause as { cause?: { code?: string } }).cause?.code ?? ''}`);
    const status = (cause && typeof cause === 'object' && 'status' in cause) ? ` (HTTP ${(cause as { status: unknown }).status})` : '';
    return { message: redact(`${cleanText(error.message)}${status}`, secrets), network: Boolean(causeMsg) };
  }
  if (error instanceof Error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const network = error.name === 'TypeError' || error.name === 'AbortError' || error.name === 'TimeoutError' || Boolean(code);
    return { message: redact(network ? `could not reach ${party}${code ? ` (${code})` : ''}` : cleanText(error.message), secrets), network };
  }
  return { message: 'unknown error', network: false };
}

/**
 * client_secret_basic (RFC 6749 §2.3.1): `Basic base64(id:secret)` with both parts
 * percent-encoded by encodeURIComponent. openid-client's own ClientSecretBasic also
 * escapes `-_.!~*'()`, which many servers (and the MCP conformance AS) do not decode,
 * so "pre-registered-client" arrived as "pre%2Dregistered%2Dclient". encodeURIComponent
 * leaves those characters alone and still escapes ':' (which would split the pair),
 * '%' and everything non-ASCII, so a server that URL-decodes gets the same values.
 */
function clientSecretBasic(secret: string | undefined): oidc.ClientAuth {
  return (_as, client, _body, headers) => {
    if (typeof secret !== 'string' || !secret) throw new IpcError('AUTH_FAILED', 'No client secret is available for client_secret_basic');
    const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
  };
}

/**
 * RFC 7591 §3.2.1: client_secret_expires_at is REQUIRED when a client_secret is
 * issued, but some servers leave it out and openid-client then refuses the whole
 * response ("invalid response encountered"). Absent means we were told of no
 * expiry, which is what 0 says; every other field (and a present value, even a
 * wrong one) is passed through untouched for openid-client to validate.
 */
async function normaliseRegistrationResponse(res: Response): Promise<Response> {
  if (!res.ok || !/\bjson\b/i.test(res.headers.get('content-type') ?? '')) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (typeof o.client_secret === 'string' && o.client_secret_expires_at === undefined) o.client_secret_expires_at = 0;
  }
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(JSON.stringify(body), { status: res.status, statusText: res.statusText, headers });
}

/** WebCrypto import parameters for a JWS algorithm (private_key_jwt). */
function signingParams(alg: string): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm | undefined {
  const hash = (bits: string) => `SHA-${bits}`;
  let m: RegExpExecArray | null;
  if ((m = /^RS(256|384|512)$/.exec(alg))) return { name: 'RSASSA-PKCS1-v1_5', hash: hash(m[1]!) };
  if ((m = /^PS(256|384|512)$/.exec(alg))) return { name: 'RSA-PSS', hash: hash(m[1]!) };
  if (alg === 'ES256') return { name: 'ECDSA', namedCurve: 'P-256' };
  if (alg === 'ES384') return { name: 'ECDSA', namedCurve: 'P-384' };
  if (alg === 'ES512') return { name: 'ECDSA', namedCurve: 'P-521' };
  if (alg === 'Ed25519' || alg === 'EdDSA') return { name: 'Ed25519' };
  return undefined;
}

/** The JWS algorithm a private key implies (EC by curve; RSA: RS256; RSA-PSS: PS256; Ed25519). */
function inferSigningAlgorithm(key: KeyObject): string | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'Ed25519';
    case 'ec':
      return ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as Record<string, string>)[key.asymmetricKeyDetails?.namedCurve ?? ''];
    default:
      return undefined;
  }
}

/**
 * Imports a PEM private key for private_key_jwt as a non-extractable CryptoKey.
 * Errors never echo the key.
 */
async function importSigningKey(pem: string, alg?: string): Promise<{ key: webcrypto.CryptoKey; alg: string }> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new IpcError('VALIDATION', 'The client private key is not a PEM private key (PKCS#8, PKCS#1 or SEC1)');
  }
  const chosen = alg || inferSigningAlgorithm(keyObject);
  const params = chosen ? signingParams(chosen) : undefined;
  if (!chosen || !params) throw new IpcError('VALIDATION', `Unsupported signing algorithm for private_key_jwt: ${cleanText(chosen ?? keyObject.asymmetricKeyType ?? 'unknown key type', 40)}`);
  try {
    const der = keyObject.export({ format: 'der', type: 'pkcs8' });
    return { key: await webcrypto.subtle.importKey('pkcs8', der, params, false, ['sign']), alg: chosen };
  } catch {
    throw new IpcError('VALIDATION', `The client private key cannot be used with ${chosen}`);
  }
}

function splitScope(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
}

export class AuthManager {
  private readonly clock: Clock;
  private readonly plans = new Map<string, Plan>();
  private readonly refreshes = new Map<string, Promise<TokenSet>>();
  private readonly stepUps = new Map<string, { count: number; first: number }>();

  constructor(private readonly deps: AuthManagerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  // ---- HTTP instrumentation -------------------------------------------------

  private instrumented(phase: HttpExchangePhase, serverId?: string): FetchFn {
    return async (input, init) => {
      const started = this.clock.now();
      const url = typeof input === 'string' ? input : input.href;
      const method = init?.method ?? 'GET';
      try {
        const res = await (this.deps.fetch ?? fetch)(input, init);
        this.emit({ method, url, status: res.status, requestHeaders: headersToRecord(init?.headers), responseHeaders: headersToRecord(res.headers), durationMs: this.clock.now() - started, phase, serverId });
        return res;
      } catch (error) {
        this.emit({ method, url, status: 0, requestHeaders: headersToRecord(init?.headers), responseHeaders: {}, durationMs: this.clock.now() - started, phase, serverId });
        throw error;
      }
    };
  }

  /** Tells the core which values belong to a server (scrubbed from its recordings); never logged. */
  private learn(serverId: string | undefined, ...values: (string | undefined)[]): void {
    if (!serverId || !this.deps.onSecret) return;
    for (const value of values) {
      if (!value) continue;
      try {
        this.deps.onSecret(serverId, value);
      } catch {
        // the scrubber's failure must not break auth
      }
    }
  }

  private emit(ex: Parameters<NonNullable<AuthManagerDeps['onHttpExchange']>>[0]): void {
    try {
      this.deps.onHttpExchange?.(ex);
    } catch {
      // a recorder failure must not break auth
    }
  }

  // ---- storage ----------------------------------------------------------------

  private grants(): Record<string, StoredGrant> {
    const v = this.deps.store.get(GRANTS_KEY);
    return v && typeof v === 'object' ? { ...(v as Record<string, StoredGrant>) } : {};
  }
  private grant(serverId: string): StoredGrant | undefined {
    return Object.hasOwn(this.grants(), serverId) ? this.grants()[serverId] : undefined;
  }
  private saveGrant(g: StoredGrant): void {
    const all = this.grants();
    all[g.serverId] = g;
    this.deps.store.set(GRANTS_KEY, all);
  }
  private updateGrant(serverId: string, patch: Partial<StoredGrant>): StoredGrant | undefined {
    const g = this.grant(serverId);
    if (!g) return undefined;
    const next = { ...g, ...patch };
    for (const k of Object.keys(patch) as (keyof StoredGrant)[]) if (patch[k] === undefined) delete next[k];
    this.saveGrant(next);
    return next;
  }
  private deleteGrant(serverId: string): void {
    const all = this.grants();
    if (Object.hasOwn(all, serverId)) {
      delete all[serverId];
      this.deps.store.set(GRANTS_KEY, all);
    }
  }
  private clients(): Record<string, StoredClient> {
    const v = this.deps.store.get(CLIENTS_KEY);
    return v && typeof v === 'object' ? { ...(v as Record<string, StoredClient>) } : {};
  }
  private saveClient(key: string, c: StoredClient): void {
    const all = this.clients();
    all[key] = c;
    this.deps.store.set(CLIENTS_KEY, all);
  }
  private deleteClient(key: string): void {
    const all = this.clients();
    if (Object.hasOwn(all, key)) {
      delete all[key];
      this.deps.store.set(CLIENTS_KEY, all);
    }
    this.deps.vault.delete(clientSecretKey(key));
  }
  private async readTokens(g: StoredGrant): Promise<TokenSet | undefined> {
    const r = await this.deps.vault.get(tokenKey(g));
    if (r.status !== 'ok') return undefined;
    try {
      const t = JSON.parse(r.value) as TokenSet;
      if (typeof t.access_token !== 'string') return undefined;
      this.learn(g.serverId, t.access_token, t.refresh_token);
      return t;
    } catch {
      return undefined;
    }
  }
  private changed(serverId: string): void {
    try {
      this.deps.onGrantChanged?.(serverId);
    } catch {
      // listener errors are not ours
    }
  }

  // ---- openid-client configuration -------------------------------------------

  private isLoopbackAs(metadata: AuthorizationServerInfo): boolean {
    return [metadata.issuer, metadata.token_endpoint, metadata.authorization_endpoint, metadata.registration_endpoint, metadata.revocation_endpoint]
      .filter((u): u is string => Boolean(u))
      .some((u) => new URL(u).protocol === 'http:' && isLoopbackHost(new URL(u).hostname));
  }

  /** `secret` is the client secret, or for private_key_jwt the PEM private key. */
  private async configFor(metadata: AuthorizationServerInfo, clientId: string, method: TokenEndpointAuthMethod, secret: string | undefined, phase: HttpExchangePhase, serverId?: string, signingAlgorithm?: string): Promise<oidc.Configuration> {
    let clientAuth: oidc.ClientAuth;
    if (method === 'private_key_jwt') {
      if (!secret) throw new IpcError('AUTH_FAILED', 'No private key is available for private_key_jwt');
      clientAuth = oidc.PrivateKeyJwt((await importSigningKey(secret, signingAlgorithm)).key);
    } else clientAuth = method === 'none' ? oidc.None() : method === 'client_secret_basic' ? clientSecretBasic(secret) : oidc.ClientSecretPost(secret);
    const clientMeta: Partial<oidc.ClientMetadata> = { token_endpoint_auth_method: method };
    if (secret && (method === 'client_secret_basic' || method === 'client_secret_post')) clientMeta.client_secret = secret;
    const config = new oidc.Configuration(metadata as unknown as oidc.ServerMetadata, clientId, clientMeta, clientAuth);
    this.learn(serverId, secret);
    config[oidc.customFetch] = this.instrumented(phase, serverId) as unknown as oidc.CustomFetch;
    if (this.isLoopbackAs(metadata)) oidc.allowInsecureRequests(config);
    return config;
  }

  private async configForGrant(g: StoredGrant, phase: HttpExchangePhase): Promise<oidc.Configuration> {
    // Grants stored before remote servers were kept off this machine get the same check as new discovery.
    const context = { serverUrl: new URL(g.serverUrl) };
    assertSafeAuthUrl(g.metadata.token_endpoint, 'token_endpoint', context);
    if (g.metadata.revocation_endpoint) assertSafeAuthUrl(g.metadata.revocation_endpoint, 'revocation_endpoint', context);
    let secret: string | undefined;
    if (g.tokenEndpointAuthMethod !== 'none') {
      const r = await this.deps.vault.get(clientSecretKey(g.clientKey));
      if (r.status !== 'ok') throw new AuthRequiredError(g.serverId, 'The stored client secret cannot be read; sign in again');
      secret = r.value;
    }
    return this.configFor(g.metadata, g.clientId, g.tokenEndpointAuthMethod, secret, phase, g.serverId, g.signingAlgorithm);
  }

  // ---- sign-in ----------------------------------------------------------------

  private registrationFor(server: AuthServerRef, d: DiscoveryResult): RegistrationKind {
    if (server.oauthClient?.clientId) return 'pre-registered';
    if (this.clients()[this.dcrClientKey(d)]) return 'existing';
    if (d.registrationOptions.clientIdMetadataDocument && server.clientMetadataUrl) return 'client-id-metadata-document';
    if (d.registrationOptions.dynamic) return 'dynamic';
    return 'manual-required';
  }

  /** Which grant a server's configuration asks for; throws VALIDATION when it is incomplete. */
  private grantKindFor(server: AuthServerRef): GrantKind {
    const c = server.oauthClient;
    if (server.enterprise) {
      if (!c?.clientId) throw new IpcError('VALIDATION', 'Enterprise-managed authorization needs the client ID this app has at the MCP server\'s authorization server');
      if (!server.enterprise.idpClientId) throw new IpcError('VALIDATION', 'Enterprise-managed authorization needs the client ID this app has at the identity provider');
      assertSafeAuthUrl(server.enterprise.idpTokenEndpoint, 'identity provider token endpoint');
      if (server.enterprise.idpIssuer) assertSafeAuthUrl(server.enterprise.idpIssuer, 'identity provider issuer');
      return 'jwt-bearer';
    }
    if (c?.grantType === 'client_credentials') {
      if (!c.clientId || (!c.clientSecret && !c.privateKeyPem)) throw new IpcError('VALIDATION', 'The client_credentials grant needs a client ID with a client secret or a private key');
      return 'client_credentials';
    }
    return 'authorization_code';
  }

  private dcrClientKey(d: DiscoveryResult): string {
    return `dcr ${d.issuer}`;
  }

  private pruneExpiredPlans(): void {
    const now = this.clock.now();
    for (const [id, p] of this.plans) if (now - p.createdAt > PLAN_TTL_MS && !p.started) this.plans.delete(id);
  }

  /** Discovery and scope selection; no browser. Throws AUTH_FAILED on hostile or unusable metadata. */
  async prepareSignIn(server: AuthServerRef, opts: PrepareSignInOptions = {}): Promise<ConsentPlan> {
    this.pruneExpiredPlans();
    const grantType = this.grantKindFor(server);
    const d = await discover(server.url, {
      challenge: opts.challenge,
      configuredScopes: server.oauthClient?.scopes,
      fetchFn: this.instrumented('discovery', server.id),
      protocolVersion: this.deps.protocolVersion,
      grantType,
    });
    const existing = this.grant(server.id);
    const granted = existing && existing.issuer === d.issuer && existing.resource === d.resource ? existing.scopesGranted : [];
    let scopes = d.scopes;
    let scopeSource = d.scopeSource;
    if (opts.stepUp) {
      const required = d.challenge.scopes;
      const key = `${server.id} ${[...required].sort().join(' ')}`;
      const now = this.clock.now();
      const entry = this.stepUps.get(key);
      const count = entry && now - entry.first < STEP_UP_WINDOW_MS ? entry.count + 1 : 1;
      if (count > MAX_STEP_UP) {
        throw new IpcError('AUTH_FAILED', `The server keeps asking for more permissions (${required.join(' ') || 'unspecified scopes'}) after ${MAX_STEP_UP} attempts; treating this as a permanent authorization failure`, { serverId: server.id, reason: 'step-up-limit' });
      }
      this.stepUps.set(key, { count, first: entry && count > 1 ? entry.first : now });
      scopes = [...new Set([...(existing?.scopesRequested ?? []), ...granted, ...d.scopes])];
      scopeSource = d.challenge.scopes.length ? 'challenge' : d.scopeSource;
    }
    // A machine client gets no refresh token (RFC 6749 §4.4.3), so offline_access means nothing there.
    if (grantType === 'client_credentials' && d.offlineAccessAdded) scopes = scopes.filter((s) => s !== 'offline_access');
    const plan: ConsentPlan = {
      planId: randomUUID(),
      serverId: server.id,
      serverUrl: d.serverUrl,
      resource: d.resource,
      issuer: d.issuer,
      issuerRelation: d.issuerRelation,
      registration: this.registrationFor(server, d),
      scopes,
      scopeSource,
      grantType,
      // The delta against what the user already consented to. ASes rarely echo offline_access in the token
      // response `scope`; a grant that holds a refresh token has it in effect, so it is not "new".
      addedScopes: scopes.filter((s) => !granted.includes(s) && !(s === 'offline_access' && existing?.hasRefreshToken && granted.length > 0)),
      revocationSupported: Boolean(d.endpoints.revocation),
    };
    // Codes and client secrets go to the token endpoint: name its origin when it is not the issuer's.
    const tokenOrigin = new URL(d.endpoints.token).origin;
    if (tokenOrigin !== new URL(d.issuer).origin) plan.tokenEndpointOrigin = tokenOrigin;
    this.plans.set(plan.planId, { plan, server: { ...server, oauthClient: server.oauthClient ? { ...server.oauthClient } : undefined }, discovery: d, createdAt: this.clock.now() });
    return plan;
  }

  /** Abandons a plan; a pending browser flow stops and nothing stored changes. */
  cancelSignIn(planId: string): void {
    const p = this.plans.get(planId);
    if (!p) return;
    p.cancelled = true;
    p.listener?.close('Sign-in was cancelled');
    this.plans.delete(planId);
  }

  /** Registers (if needed), opens the browser, waits for the loopback callback, exchanges the code, stores the grant. */
  async completeSignIn(planId: string, opts: CompleteSignInOptions = {}): Promise<GrantView> {
    const p = this.plans.get(planId);
    if (!p) throw new IpcError('NOT_FOUND', 'This sign-in is no longer pending; start it again');
    if (p.started) throw new IpcError('CONFLICT', 'This sign-in is already in progress');
    p.started = true;
    if (p.plan.grantType !== 'authorization_code') return this.completeWithoutBrowser(p, opts);
    const { server, discovery: d, plan } = p;
    const secrets: (string | undefined)[] = [server.oauthClient?.clientSecret];
    const metadata = d.metadata;
    const sendResource = !server.omitResourceParameter;
    try {
      // 1. Client: pre-registered, existing DCR client, CIMD, DCR, else ask the user.
      let clientId: string;
      let method: TokenEndpointAuthMethod;
      let secret: string | undefined;
      let clientKey: string;
      let registration: RegistrationKind;
      let redirectPath: string | undefined;
      const stored = this.clients()[this.dcrClientKey(d)];
      let signingAlgorithm: string | undefined;
      if (server.oauthClient?.clientId) {
        registration = 'pre-registered';
        clientId = server.oauthClient.clientId;
        ({ method, secret, signingAlgorithm } = this.preRegisteredAuth(server, metadata));
        clientKey = `pre ${server.id}`;
        redirectPath = '/callback';
      } else if (stored) {
        registration = 'existing';
        clientKey = this.dcrClientKey(d);
        clientId = stored.clientId;
        method = stored.tokenEndpointAuthMethod;
        redirectPath = stored.redirectPath;
        if (method !== 'none') {
          const r = await this.deps.vault.get(clientSecretKey(clientKey));
          if (r.status !== 'ok') {
            this.deleteClient(clientKey);
            throw new IpcError('AUTH_FAILED', 'The stored client registration cannot be read any more; try signing in again to register anew');
          }
          secret = r.value;
        }
      } else if (d.registrationOptions.clientIdMetadataDocument && server.clientMetadataUrl) {
        const u = assertSafeAuthUrl(server.clientMetadataUrl, 'client metadata document URL');
        if (u.pathname === '/' ) throw new IpcError('VALIDATION', 'The client metadata document URL needs a path');
        registration = 'client-id-metadata-document';
        clientId = u.href;
        method = 'none';
        clientKey = `cimd ${d.issuer}`;
        redirectPath = '/callback';
      } else if (d.registrationOptions.dynamic) {
        registration = 'dynamic';
        clientKey = this.dcrClientKey(d);
        clientId = '';
        method = 'none';
      } else {
        throw new IpcError('AUTH_FAILED', `${d.issuer} does not support automatic client registration; enter a client ID (and secret, if it issued one) for this server in its settings`, { reason: 'client-id-required', issuer: d.issuer });
      }
      secrets.push(secret);

      // 2. Loopback listener (before DCR: the redirect URI carries its port).
      const state = oidc.randomState();
      const listener = await startLoopbackListener({ state, path: redirectPath, timeoutMs: this.deps.signInTimeoutMs });
      p.listener = listener;
      try {
        if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
        if (registration === 'dynamic') {
          const path = new URL(listener.redirectUri).pathname;
          const reg = await this.register(d, listener.redirectUri, plan.scopes, plan.serverId);
          clientId = reg.clientId;
          method = reg.method;
          secret = reg.secret;
          secrets.push(secret);
          this.saveClient(clientKey, { issuer: d.issuer, clientId, registration: 'dynamic', tokenEndpointAuthMethod: method, redirectPath: path, registeredAt: this.clock.now() });
          if (secret) await this.deps.vault.put(clientSecretKey(clientKey), secret);
        }
        if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
        const config = await this.configFor(metadata, clientId, method, secret, 'token', plan.serverId, signingAlgorithm);

        // 3. Authorization request (PKCE S256, state, resource).
        const verifier = oidc.randomPKCECodeVerifier();
        secrets.push(verifier);
        const params: Record<string, string> = {
          redirect_uri: listener.redirectUri,
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
        };
        if (plan.scopes.length) params.scope = plan.scopes.join(' ');
        if (plan.scopes.includes('offline_access')) params.prompt = 'consent';
        if (sendResource) params.resource = d.resource;
        const authUrl = assertSafeAuthUrl(oidc.buildAuthorizationUrl(config, params).href, 'authorization URL', { serverUrl: new URL(d.serverUrl) });
        const opened = this.deps.browser.open(authUrl.href).then(
          () => undefined,
          (error: unknown) => {
            listener.close(new IpcError('AUTH_FAILED', `Could not open the browser: ${describeOAuthError(error, secrets).message}`));
          },
        );
        const { callbackUrl } = await listener.result;
        await opened;
        secrets.push(callbackUrl.searchParams.get('code') ?? undefined);

        // 4. Code exchange (state and iss checked by openid-client).
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: false }, sendResource ? { resource: d.resource } : undefined);
        if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
        return await this.storeNewGrant(p, { clientId, clientKey, registration, method, secret, signingAlgorithm, grantType: 'authorization_code', sendResource }, tokens);
      } finally {
        listener.close();
      }
    } catch (error) {
      if (error instanceof IpcError && error.code !== 'INTERNAL') throw new IpcError(error.code, redact(error.message, secrets), error.details);
      const info = describeOAuthError(error, secrets);
      // A stored registration the AS forgot: drop it so the next attempt registers anew.
      if ((info.oauthError === 'invalid_client' || info.oauthError === 'unauthorized_client') && plan.registration === 'existing') this.deleteClient(this.dcrClientKey(d));
      throw new IpcError(info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED', `Sign-in to ${plan.serverUrl} failed: ${info.message}`, info.oauthError ? { oauthError: info.oauthError } : undefined);
    } finally {
      this.plans.delete(planId);
    }
  }

  /** Token endpoint authentication for a pre-registered client: private_key_jwt, client_secret_basic/post, or none. */
  private preRegisteredAuth(server: AuthServerRef, metadata: AuthorizationServerInfo): { method: TokenEndpointAuthMethod; secret?: string; signingAlgorithm?: string } {
    const c = server.oauthClient!;
    if (c.privateKeyPem) return { method: 'private_key_jwt', secret: c.privateKeyPem, signingAlgorithm: c.signingAlgorithm || undefined };
    const secret = c.clientSecret || undefined;
    const supported = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    return { method: !secret ? 'none' : supported.includes('client_secret_basic') ? 'client_secret_basic' : 'client_secret_post', secret };
  }

  /** Stores the tokens (one vault write) and the grant metadata of a completed sign-in. */
  private async storeNewGrant(
    p: Plan,
    c: { clientId: string; clientKey: string; registration: RegistrationKind; method: TokenEndpointAuthMethod; secret?: string; signingAlgorithm?: string; grantType: GrantKind; sendResource: boolean },
    tokens: { access_token: string; token_type?: string; refresh_token?: string; scope?: string; expires_in?: number },
  ): Promise<GrantView> {
    const { server, discovery: d, plan } = p;
    const now = this.clock.now();
    const granted = splitScope(tokens.scope);
    const set: TokenSet = { access_token: tokens.access_token, token_type: tokens.token_type };
    if (tokens.refresh_token) set.refresh_token = tokens.refresh_token;
    this.learn(server.id, tokens.access_token, tokens.refresh_token, c.secret);
    const previous = this.grant(server.id);
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
    if (typeof tokens.expires_in === 'number' && Number.isFinite(tokens.expires_in)) grant.accessTokenExpiresAt = now + tokens.expires_in * 1000;
    if (c.registration === 'pre-registered' && c.secret) await this.deps.vault.put(clientSecretKey(c.clientKey), c.secret);
    await this.deps.vault.put(tokenKey(grant), JSON.stringify(set));
    if (previous && tokenKey(previous) !== tokenKey(grant)) this.deps.vault.delete(tokenKey(previous));
    this.saveGrant(grant);
    this.changed(server.id);
    return (await this.getGrant(server.id))!;
  }

  /**
   * Sign-in without a browser: the client_credentials grant (SEP-1046), or SEP-990
   * enterprise-managed authorization (RFC 8693 token exchange of the user's ID token
   * at the IdP for an ID-JAG, then the RFC 7523 jwt-bearer grant at the AS).
   */
  private async completeWithoutBrowser(p: Plan, opts: CompleteSignInOptions): Promise<GrantView> {
    const { server, discovery: d, plan } = p;
    const c = server.oauthClient!;
    const sendResource = !server.omitResourceParameter;
    const { method, secret, signingAlgorithm } = this.preRegisteredAuth(server, d.metadata);
    const secrets: (string | undefined)[] = [c.clientSecret, c.privateKeyPem, server.enterprise?.idpClientSecret, opts.idToken];
    const clientKey = `pre ${server.id}`;
    const params: Record<string, string> = {};
    if (plan.scopes.length) params.scope = plan.scopes.join(' ');
    if (sendResource) params.resource = d.resource;
    try {
      const config = await this.configFor(d.metadata, c.clientId, method, secret, 'token', server.id, signingAlgorithm);
      let tokens: oidc.TokenEndpointResponse;
      if (plan.grantType === 'client_credentials') {
        tokens = await oidc.clientCredentialsGrant(config, params);
      } else {
        const assertion = await this.exchangeIdTokenForIdJag(server, d, plan.scopes, opts.idToken, secrets);
        secrets.push(assertion);
        tokens = await oidc.genericGrantRequest(config, GRANT_JWT_BEARER, { ...params, assertion });
      }
      secrets.push(tokens.access_token, tokens.refresh_token);
      if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
      return await this.storeNewGrant(p, { clientId: c.clientId, clientKey, registration: 'pre-registered', method, secret, signingAlgorithm, grantType: plan.grantType, sendResource }, tokens);
    } catch (error) {
      if (error instanceof IpcError && error.code !== 'INTERNAL') throw new IpcError(error.code, redact(error.message, secrets), error.details);
      const info = describeOAuthError(error, secrets);
      throw new IpcError(info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED', `Sign-in to ${plan.serverUrl} failed: ${info.message}`, info.oauthError ? { oauthError: info.oauthError } : undefined);
    } finally {
      this.plans.delete(plan.planId);
    }
  }

  /** SEP-990 step 1: RFC 8693 token exchange at the enterprise IdP, ID token -> ID-JAG for this AS and resource. */
  private async exchangeIdTokenForIdJag(server: AuthServerRef, d: DiscoveryResult, scopes: string[], idToken: string | undefined, secrets: (string | undefined)[]): Promise<string> {
    const e = server.enterprise!;
    if (!idToken) throw new IpcError('AUTH_REQUIRED', 'Enterprise-managed authorization needs you to sign in to your identity provider first', { serverId: server.id, reason: 'id-token-required' });
    const tokenEndpoint = assertSafeAuthUrl(e.idpTokenEndpoint, 'identity provider token endpoint');
    const idpIssuer = e.idpIssuer ? assertSafeAuthUrl(e.idpIssuer, 'identity provider issuer').href.replace(/\/$/, '') : tokenEndpoint.origin;
    const idpMetadata = { issuer: idpIssuer, token_endpoint: tokenEndpoint.href } as oidc.ServerMetadata;
    const clientAuth = e.idpClientSecret ? clientSecretBasic(e.idpClientSecret) : oidc.None();
    const idp = new oidc.Configuration(idpMetadata, e.idpClientId, { token_endpoint_auth_method: e.idpClientSecret ? 'client_secret_basic' : 'none' }, clientAuth);
    idp[oidc.customFetch] = this.instrumented('token', server.id) as unknown as oidc.CustomFetch;
    if (tokenEndpoint.protocol === 'http:' || new URL(idpIssuer).protocol === 'http:') oidc.allowInsecureRequests(idp);
    const request: Record<string, string> = {
      subject_token: idToken,
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
      requested_token_type: TOKEN_TYPE_ID_JAG,
      // The ID-JAG is for the MCP server's AS (audience) and for this MCP server (resource).
      audience: d.issuer,
      resource: d.resource,
    };
    if (scopes.length) request.scope = scopes.join(' ');
    let response: oidc.TokenEndpointResponse;
    try {
      response = await oidc.genericGrantRequest(idp, GRANT_TOKEN_EXCHANGE, request);
    } catch (error) {
      const info = describeOAuthError(error, secrets, 'the identity provider');
      throw new IpcError(info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED', `The identity provider ${idpIssuer} did not issue an identity assertion for ${d.issuer}: ${info.message}`, info.oauthError ? { oauthError: info.oauthError, phase: 'token-exchange' } : { phase: 'token-exchange' });
    }
    const issued = (response as { issued_token_type?: unknown }).issued_token_type;
    if (issued !== TOKEN_TYPE_ID_JAG) {
      secrets.push(response.access_token);
      throw new IpcError('AUTH_FAILED', `The identity provider ${idpIssuer} answered the token exchange with ${typeof issued === 'string' ? cleanText(issued, 80) : 'no issued_token_type'} instead of an ID-JAG`);
    }
    return response.access_token;
  }

  private async register(d: DiscoveryResult, redirectUri: string, scopes: string[], serverId: string): Promise<{ clientId: string; method: TokenEndpointAuthMethod; secret?: string }> {
    const metadata = d.metadata;
    const sentinel = new URL(VALIDATED_METADATA_PATH, metadata.issuer);
    const network = this.instrumented('registration', serverId);
    const registrationUrl = metadata.registration_endpoint ? new URL(metadata.registration_endpoint).href : undefined;
    // openid-client fetches the metadata document itself; hand it the one we validated.
    const serve: FetchFn = async (input, init) => {
      const url = typeof input === 'string' ? input : input.href;
      if (url === sentinel.href) return new Response(JSON.stringify(metadata), { status: 200, headers: { 'content-type': 'application/json' } });
      const res = await network(input, init);
      return url === registrationUrl && (init?.method ?? 'GET').toUpperCase() === 'POST' ? normaliseRegistrationResponse(res) : res;
    };
    const clientMetadata: Partial<oidc.ClientMetadata> = {
      client_name: this.deps.clientName ?? 'Switchboard',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    };
    // No `scope` in the registration: some ASes then restrict the client to it, which would block step-up.
    void scopes;
    const options: oidc.DynamicClientRegistrationRequestOptions = { [oidc.customFetch]: serve as unknown as oidc.CustomFetch };
    if (this.isLoopbackAs(metadata) || sentinel.protocol === 'http:') options.execute = [oidc.allowInsecureRequests];
    const config = await oidc.dynamicClientRegistration(sentinel, clientMetadata, oidc.None(), options);
    const registered = config.clientMetadata();
    const clientId = registered.client_id;
    if (typeof clientId !== 'string' || !clientId) throw new IpcError('AUTH_FAILED', 'The authorization server registered no client_id');
    const m = registered.token_endpoint_auth_method;
    const secret = typeof registered.client_secret === 'string' ? registered.client_secret : undefined;
    const method: TokenEndpointAuthMethod = m === 'client_secret_basic' || m === 'client_secret_post' ? m : secret ? 'client_secret_basic' : 'none';
    return { clientId, method, secret: method === 'none' ? undefined : secret };
  }

  // ---- grants -----------------------------------------------------------------

  async getGrant(serverId: string): Promise<GrantView | undefined> {
    const g = this.grant(serverId);
    if (!g) return undefined;
    const read = await this.deps.vault.get(tokenKey(g));
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
      storage: this.deps.vault.location(tokenKey(g)) === 'disk' ? 'encrypted' : 'memory',
      needsSignIn: g.needsSignIn || read.status !== 'ok',
    };
    if (g.accessTokenExpiresAt !== undefined) view.accessTokenExpiresAt = g.accessTokenExpiresAt;
    if (g.lastRefreshAt !== undefined) view.lastRefreshAt = g.lastRefreshAt;
    if (g.lastError) view.lastError = g.lastError;
    else if (read.status === 'undecryptable') view.lastError = `Stored tokens cannot be decrypted (${read.reason}); sign in again`;
    else if (read.status === 'missing' && !g.needsSignIn) view.lastError = 'No stored tokens (they were kept in memory only); sign in again';
    return view;
  }

  /** Refreshes the grant's tokens (single-flight per grant). Throws AuthRequiredError on invalid_grant. */
  private refresh(g: StoredGrant): Promise<TokenSet> {
    const key = tokenKey(g);
    const running = this.refreshes.get(key);
    if (running) return running;
    const job = this.doRefresh(g).finally(() => this.refreshes.delete(key));
    this.refreshes.set(key, job);
    return job;
  }

  /** A grant whose access token can be renewed without the user: a refresh token, or a client_credentials client. */
  private renewable(g: StoredGrant, tokens: TokenSet | undefined): boolean {
    return Boolean(tokens?.refresh_token) || g.grantType === 'client_credentials';
  }

  private async doRefresh(g: StoredGrant): Promise<TokenSet> {
    const current = await this.readTokens(g);
    const machine = g.grantType === 'client_credentials' && !current?.refresh_token;
    if (!current?.refresh_token && !machine) throw new AuthRequiredError(g.serverId, 'The access token expired and there is no refresh token; sign in again');
    const secrets = [current?.refresh_token, current?.access_token];
    let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      const config = await this.configForGrant(g, 'token');
      if (machine) {
        // client_credentials: no user involved, so a new token is simply requested again.
        const params: Record<string, string> = {};
        if (g.scopesRequested.length) params.scope = g.scopesRequested.join(' ');
        if (g.sendResource) params.resource = g.resource;
        response = await oidc.clientCredentialsGrant(config, params);
      } else response = await oidc.refreshTokenGrant(config, current!.refresh_token!, g.sendResource ? { resource: g.resource } : undefined);
    } catch (error) {
      if (error instanceof AuthRequiredError) throw error;
      const info = describeOAuthError(error, secrets);
      if (info.oauthError === 'invalid_grant' || info.oauthError === 'invalid_client' || info.oauthError === 'unauthorized_client') {
        this.updateGrant(g.serverId, { needsSignIn: true, lastError: `Refreshing the token failed: ${info.message}; sign in again` });
        this.deps.vault.delete(tokenKey(g));
        if (info.oauthError !== 'invalid_grant') this.deleteClient(g.clientKey);
        this.changed(g.serverId);
        throw new AuthRequiredError(g.serverId, `The authorization server no longer accepts this sign-in (${info.oauthError}); sign in again`);
      }
      const message = `Could not refresh the access token: ${info.message}. The grant is kept; it will be retried.`;
      this.updateGrant(g.serverId, { lastError: message });
      this.changed(g.serverId);
      throw new IpcError(info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED', message, { serverId: g.serverId });
    }
    const now = this.clock.now();
    const next: TokenSet = { access_token: response.access_token, token_type: response.token_type };
    const refreshToken = response.refresh_token ?? current?.refresh_token;
    if (refreshToken) next.refresh_token = refreshToken;
    this.learn(g.serverId, next.access_token, next.refresh_token);
    // One vault write: the rotated refresh token and the new access token land together.
    await this.deps.vault.put(tokenKey(g), JSON.stringify(next));
    const granted = splitScope(response.scope);
    this.updateGrant(g.serverId, {
      accessTokenExpiresAt: typeof response.expires_in === 'number' ? now + response.expires_in * 1000 : undefined,
      lastRefreshAt: now,
      lastError: undefined,
      needsSignIn: false,
      hasRefreshToken: Boolean(next.refresh_token),
      ...(granted.length ? { scopesGranted: granted } : {}),
    });
    this.changed(g.serverId);
    return next;
  }

  /**
   * A fetch for the MCP transport of this server: Bearer on every request,
   * proactive and reactive refresh, AuthRequiredError / StepUpRequiredError.
   */
  fetchFor(serverId: string): typeof fetch {
    const mcpFetch = this.instrumented('mcp', serverId);
    const skew = this.deps.refreshSkewMs ?? 60_000;
    const run = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      let url: string;
      let baseInit: RequestInit = { ...init };
      if (input instanceof Request) {
        url = input.url;
        const body = input.body ? await input.arrayBuffer() : undefined;
        baseInit = { method: input.method, headers: input.headers, body, signal: input.signal, redirect: input.redirect, ...init };
      } else url = typeof input === 'string' ? input : input.href;
      const replayable = !(baseInit.body instanceof ReadableStream);

      // Redirects are followed by hand: same origin only, so the token never travels elsewhere.
      const send = async (token: string | undefined) => {
        let target = url;
        let requestInit: RequestInit = { ...baseInit };
        for (let hop = 0; ; hop++) {
          const headers = new Headers(requestInit.headers);
          // Only ours to set when we have a token: without one, a caller-supplied
          // Authorization (a static API key configured as a custom header) goes through.
          if (token) headers.set('Authorization', `Bearer ${token}`);
          const res = await mcpFetch(target, { ...requestInit, headers, redirect: 'manual' });
          const location = res.headers.get('location');
          if (![301, 302, 303, 307, 308].includes(res.status) || !location || hop >= 5 || baseInit.redirect === 'manual') return res;
          let next: URL;
          try {
            next = new URL(location, target);
          } catch {
            return res;
          }
          if (next.origin !== new URL(target).origin) return res; // cross-origin: hand the redirect to the caller, unfollowed
          await res.body?.cancel();
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && (requestInit.method ?? 'GET').toUpperCase() === 'POST')) {
            requestInit = { ...requestInit, method: 'GET', body: undefined };
          }
          target = next.href;
        }
      };

      let g = this.grant(serverId);
      // Only present the token to the resource it was issued for (no passthrough).
      if (g && !this.covers(g, url)) g = undefined;
      let tokens = g && !g.needsSignIn ? await this.readTokens(g) : undefined;
      if (g && tokens && this.renewable(g, tokens) && g.accessTokenExpiresAt !== undefined && g.accessTokenExpiresAt - this.clock.now() <= skew) {
        try {
          tokens = await this.refresh(g);
          g = this.grant(serverId) ?? g;
        } catch (error) {
          if (error instanceof AuthRequiredError) throw error;
          // AS unreachable: keep using the old token while it is still valid.
          if (g.accessTokenExpiresAt! <= this.clock.now()) throw error;
        }
      }
      let res = await send(tokens?.access_token);
      if (res.status === 401) {
        const challenge = res.headers.get('www-authenticate') ?? undefined;
        if (g && tokens && this.renewable(g, tokens) && replayable) {
          await res.body?.cancel();
          const latest = await this.readTokens(g);
          // Another request may have refreshed already.
          tokens = latest && latest.access_token !== tokens.access_token ? latest : await this.refresh(g);
          res = await send(tokens.access_token);
          if (res.status !== 401) return this.checkForbidden(serverId, res);
          const again = res.headers.get('www-authenticate') ?? challenge;
          await res.body?.cancel();
          this.updateGrant(serverId, { needsSignIn: true, lastError: 'The server rejected a freshly refreshed token; sign in again' });
          this.changed(serverId);
          throw new AuthRequiredError(serverId, 'The server rejected the refreshed token; sign in again', again);
        }
        await res.body?.cancel();
        if (g && tokens) {
          this.updateGrant(serverId, { needsSignIn: true, lastError: 'The server rejected the access token; sign in again' });
          this.changed(serverId);
        }
        throw new AuthRequiredError(serverId, g && tokens ? 'The server rejected the access token; sign in again' : 'This server requires sign-in', challenge);
      }
      return this.checkForbidden(serverId, res);
    };
    return run as typeof fetch;
  }

  private async checkForbidden(serverId: string, res: Response): Promise<Response> {
    if (res.status !== 403) return res;
    const raw = res.headers.get('www-authenticate');
    const challenge = parseWwwAuthenticate(raw);
    if (challenge.error !== 'insufficient_scope') return res;
    await res.body?.cancel();
    throw new StepUpRequiredError(serverId, `The server needs more permissions${challenge.scopes.length ? ` (${challenge.scopes.join(' ')})` : ''}`, raw ?? '', challenge.scopes);
  }

  private covers(g: StoredGrant, url: string): boolean {
    try {
      return checkResourceAllowed({ requestedResource: url, configuredResource: g.resource }) || new URL(url).origin === new URL(g.serverUrl).origin;
    } catch {
      return false;
    }
  }

  // ---- ending a grant -----------------------------------------------------------

  /** RFC 7009 revocation (refresh token, then access token), then local deletion. */
  async revoke(serverId: string): Promise<RevokeResult> {
    const g = this.grant(serverId);
    if (!g) return { revokedAtServer: false, message: 'There is no sign-in to revoke for this server' };
    const tokens = await this.readTokens(g);
    if (!g.metadata.revocation_endpoint) {
      this.removeLocal(g);
      return { revokedAtServer: false, message: `Deleted the tokens from this computer. ${g.issuer} does not offer token revocation, so the grant still exists there until it expires; revoke it in that service's account settings.` };
    }
    if (!tokens) {
      this.removeLocal(g);
      return { revokedAtServer: false, message: 'Deleted the sign-in from this computer. The stored tokens could not be read, so nothing could be revoked at the authorization server.' };
    }
    let accessTokenNote = '';
    try {
      const config = await this.configForGrant(g, 'revocation');
      if (tokens.refresh_token) await oidc.tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' });
      try {
        await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
      } catch (error) {
        // RFC 7009 §2.2.1: an AS may not revoke self-contained (JWT) access tokens.
        if (!(error instanceof oidc.ResponseBodyError && error.error === 'unsupported_token_type' && tokens.refresh_token)) throw error;
        const until = g.accessTokenExpiresAt ? ` until ${new Date(g.accessTokenExpiresAt).toISOString()}` : ' until it expires';
        accessTokenNote = ` The authorization server cannot revoke the current access token; it stays valid${until}.`;
      }
    } catch (error) {
      const info = describeOAuthError(error, [tokens.refresh_token, tokens.access_token]);
      this.updateGrant(serverId, { lastError: `Revocation failed: ${info.message}` });
      this.changed(serverId);
      return { revokedAtServer: false, message: `Could not revoke at ${g.issuer}: ${info.message}. The sign-in was kept so you can retry; use Sign out to delete it from this computer only.` };
    }
    this.removeLocal(g);
    return { revokedAtServer: true, message: `Revoked at ${g.issuer} and deleted from this computer.${accessTokenNote}` };
  }

  /** Deletes the tokens on this computer only; the grant at the AS stays. */
  async signOut(serverId: string): Promise<void> {
    const g = this.grant(serverId);
    if (g) this.removeLocal(g);
  }

  /** Called when the server is removed: tokens, grant metadata, its pre-registered secret, plans. */
  async forget(serverId: string): Promise<void> {
    const g = this.grant(serverId);
    if (g) this.removeLocal(g);
    this.deps.vault.deletePrefix(`auth:grant:${serverId}:`);
    this.deleteClient(`pre ${serverId}`);
    for (const [id, p] of this.plans) if (p.plan.serverId === serverId) this.cancelSignIn(id);
    for (const key of [...this.stepUps.keys()]) if (key.startsWith(`${serverId} `)) this.stepUps.delete(key);
  }

  private removeLocal(g: StoredGrant): void {
    this.deps.vault.delete(tokenKey(g));
    this.deleteGrant(g.serverId);
    for (const key of [...this.stepUps.keys()]) if (key.startsWith(`${g.serverId} `)) this.stepUps.delete(key);
    this.changed(g.serverId);
  }
}
