import * as oidc from 'openid-client';
import { checkResourceAllowed } from '@modelcontextprotocol/client';
import { IpcError } from '../../../shared/contract/errors';
import type { AuthContext } from './auth-context';
import { parseWwwAuthenticate } from './challenge';
import { configForGrant } from './client-config';
import type { FetchFn } from './discovery';
import { loadDpopKey, type DpopKey } from './dpop';
import { AuthRequiredError, StepUpRequiredError } from './errors';
import { tokenKey, type GrantStore, type StoredGrant, type TokenSet } from './grant-store';
import { describeOAuthError, splitScope } from './oauth-errors';
import { GRANT_JWT_BEARER, readWorkloadAssertion } from './workload-assertion';

// The fetch of a remote server's MCP transport: Bearer on every request (only
// to the resource the token was issued for), same-origin redirects only,
// proactive and reactive refresh (single-flight per grant), and the two ways a
// server asks for credentials: AuthRequiredError (401) and StepUpRequiredError
// (403 insufficient_scope).

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export class AuthorizedFetch {
  private readonly refreshes = new Map<string, Promise<TokenSet>>();

  constructor(
    private readonly ctx: AuthContext,
    private readonly grants: GrantStore,
  ) {}

  fetchFor(serverId: string): typeof fetch {
    const mcpFetch = this.ctx.instrumented('mcp', serverId);
    const skew = this.ctx.deps.refreshSkewMs ?? 60_000;
    const clock = this.ctx.clock;
    const run = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      let url: string;
      // Never mutated below (a redirect makes a new object), so the caller's init is used as is.
      let baseInit: RequestInit = init ?? {};
      if (input instanceof Request) {
        url = input.url;
        const body = input.body ? await input.arrayBuffer() : undefined;
        baseInit = { method: input.method, headers: input.headers, body, signal: input.signal, redirect: input.redirect, ...init };
      } else url = typeof input === 'string' ? input : input.href;
      const replayable = !(baseInit.body instanceof ReadableStream);

      // Redirects are followed by hand: same origin only, so the token never travels elsewhere.
      const send = async (token: string | undefined, dpop?: DpopKey) => {
        let target = url;
        let requestInit: RequestInit = baseInit;
        for (let hop = 0; ; hop++) {
          let res: Response;
          if (token && dpop) res = await presentDpop(mcpFetch, target, requestInit, new Headers(requestInit.headers), token, dpop);
          else if (token) {
            const headers = new Headers(requestInit.headers);
            headers.set('Authorization', `Bearer ${token}`);
            res = await mcpFetch(target, { ...requestInit, headers, redirect: 'manual' });
          }
          // Only ours to set when we have a token: without one, the caller's headers (a static API
          // key configured as a custom header, say) go through as they are.
          else res = await mcpFetch(target, { ...requestInit, redirect: 'manual' });
          if (!REDIRECTS.has(res.status)) return res;
          const location = res.headers.get('location');
          if (!location || hop >= 5 || baseInit.redirect === 'manual') return res;
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

      let g = this.grants.grant(serverId);
      // Only present the token to the resource it was issued for (no passthrough).
      if (g && !covers(g, url)) g = undefined;
      if (!g) {
        // No grant for this resource (most servers): no token to load, refresh or prove.
        const res = await send(undefined);
        if (res.status === 401) {
          const challenge = res.headers.get('www-authenticate') ?? undefined;
          await res.body?.cancel();
          throw new AuthRequiredError(serverId, 'This server requires sign-in', challenge);
        }
        return res.status === 403 ? checkForbidden(serverId, res) : res;
      }
      let tokens = g && !g.needsSignIn ? await this.grants.readTokens(g) : undefined;
      if (g && tokens && renewable(g, tokens) && g.accessTokenExpiresAt !== undefined && g.accessTokenExpiresAt - clock.now() <= skew) {
        try {
          tokens = await this.refresh(g);
          g = this.grants.grant(serverId) ?? g;
        } catch (error) {
          if (error instanceof AuthRequiredError) throw error;
          // AS unreachable: keep using the old token while it is still valid.
          if (g.accessTokenExpiresAt! <= clock.now()) throw error;
        }
      }
      // DPoP-bound token: the grant's key from the vault (refused when it is not this grant's key).
      const proofKey = async (t: TokenSet | undefined) => {
        if (!g || !t || !isDpopToken(t)) return undefined;
        try {
          return await loadDpopKey(this.ctx, this.grants.grant(serverId) ?? g);
        } catch (error) {
          // A key that is missing, undecryptable or another grant's: nothing is sent, the user signs in again.
          if (error instanceof AuthRequiredError) {
            this.grants.updateGrant(serverId, { needsSignIn: true, lastError: error.message });
            this.ctx.changed(serverId);
          }
          throw error;
        }
      };
      let res = await send(tokens?.access_token, await proofKey(tokens));
      if (res.status === 401) {
        const challenge = res.headers.get('www-authenticate') ?? undefined;
        if (g && tokens && renewable(g, tokens) && replayable) {
          await res.body?.cancel();
          const latest = await this.grants.readTokens(g);
          // Another request may have refreshed already.
          tokens = latest && latest.access_token !== tokens.access_token ? latest : await this.refresh(g);
          res = await send(tokens.access_token, await proofKey(tokens));
          if (res.status !== 401) return checkForbidden(serverId, res);
          const again = res.headers.get('www-authenticate') ?? challenge;
          await res.body?.cancel();
          this.grants.updateGrant(serverId, { needsSignIn: true, lastError: 'The server rejected a freshly refreshed token; sign in again' });
          this.ctx.changed(serverId);
          throw new AuthRequiredError(serverId, 'The server rejected the refreshed token; sign in again', again);
        }
        await res.body?.cancel();
        if (g && tokens) {
          this.grants.updateGrant(serverId, { needsSignIn: true, lastError: 'The server rejected the access token; sign in again' });
          this.ctx.changed(serverId);
        }
        throw new AuthRequiredError(serverId, g && tokens ? 'The server rejected the access token; sign in again' : 'This server requires sign-in', challenge);
      }
      return checkForbidden(serverId, res);
    };
    return run as typeof fetch;
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

  private async doRefresh(g: StoredGrant): Promise<TokenSet> {
    const { ctx, grants } = this;
    const current = await grants.readTokens(g);
    const machine = renewableWithoutUser(g) && !current?.refresh_token;
    if (!current?.refresh_token && !machine) throw new AuthRequiredError(g.serverId, 'The access token expired and there is no refresh token; sign in again');
    const secrets = [current?.refresh_token, current?.access_token];
    let response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      const config = await configForGrant(ctx, g, 'token');
      // DPoP: the refresh (and a public client's refresh token) is bound to the grant's key.
      const key = await loadDpopKey(ctx, g);
      const dpop = key ? { DPoP: key.handle } : undefined;
      if (machine) {
        // client_credentials / workload identity: no user involved, so a new token is simply requested again
        // (a workload's JWT is read again from its file or variable: the platform rotates it).
        const params: Record<string, string> = {};
        if (g.scopesRequested.length) params.scope = g.scopesRequested.join(' ');
        if (g.sendResource) params.resource = g.resource;
        if (g.grantType === 'workload-identity' && g.workloadAssertion) {
          const assertion = await readWorkloadAssertion(g.workloadAssertion, ctx.deps.vault);
          secrets.push(assertion);
          response = await oidc.genericGrantRequest(config, GRANT_JWT_BEARER, { ...params, assertion }, dpop);
        } else response = await oidc.clientCredentialsGrant(config, params, dpop);
      } else response = await oidc.refreshTokenGrant(config, current!.refresh_token!, g.sendResource ? { resource: g.resource } : undefined, dpop);
    } catch (error) {
      if (error instanceof AuthRequiredError) throw error;
      const info = describeOAuthError(error, secrets);
      if (info.oauthError === 'invalid_grant' || info.oauthError === 'invalid_client' || info.oauthError === 'unauthorized_client') {
        grants.updateGrant(g.serverId, { needsSignIn: true, lastError: `Refreshing the token failed: ${info.message}; sign in again` });
        ctx.deps.vault.delete(tokenKey(g));
        if (info.oauthError !== 'invalid_grant') grants.deleteClient(g.clientKey);
        ctx.changed(g.serverId);
        throw new AuthRequiredError(g.serverId, `The authorization server no longer accepts this sign-in (${info.oauthError}); sign in again`);
      }
      const message = `Could not refresh the access token: ${info.message}. The grant is kept; it will be retried.`;
      grants.updateGrant(g.serverId, { lastError: message });
      ctx.changed(g.serverId);
      throw new IpcError(info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED', message, { serverId: g.serverId });
    }
    const now = ctx.clock.now();
    const next: TokenSet = { access_token: response.access_token, token_type: response.token_type };
    const refreshToken = response.refresh_token ?? current?.refresh_token;
    if (refreshToken) next.refresh_token = refreshToken;
    ctx.learn(g.serverId, next.access_token, next.refresh_token);
    // One vault write: the rotated refresh token and the new access token land together.
    await ctx.deps.vault.put(tokenKey(g), JSON.stringify(next));
    const granted = splitScope(response.scope);
    grants.updateGrant(g.serverId, {
      accessTokenExpiresAt: typeof response.expires_in === 'number' ? now + response.expires_in * 1000 : undefined,
      lastRefreshAt: now,
      lastError: undefined,
      needsSignIn: false,
      hasRefreshToken: Boolean(next.refresh_token),
      ...(granted.length ? { scopesGranted: granted } : {}),
      ...(g.dpop ? { senderConstrained: isDpopToken(next) } : {}),
    });
    ctx.changed(g.serverId);
    return next;
  }
}

/** A client_credentials client, or a workload whose JWT source can be read again. */
function renewableWithoutUser(g: StoredGrant): boolean {
  return g.grantType === 'client_credentials' || (g.grantType === 'workload-identity' && Boolean(g.workloadAssertion));
}

function isDpopToken(t: TokenSet): boolean {
  return t.token_type?.toLowerCase() === 'dpop';
}

/**
 * One request with a DPoP-bound token, made by openid-client: a fresh proof (htm, htu, ath, the server's
 * last nonce), `Authorization: DPoP`, and one retry when the server answers use_dpop_nonce. A response
 * with a challenge comes back as a response (the caller handles 401/403); the caller's signal is kept.
 */
async function presentDpop(mcpFetch: FetchFn, target: string, init: RequestInit, headers: Headers, token: string, key: DpopKey): Promise<Response> {
  headers.delete('authorization');
  const config = new oidc.Configuration({ issuer: 'urn:switchboard:mcp' }, 'switchboard');
  config[oidc.customFetch] = ((u: string, i: RequestInit) => mcpFetch(u, { ...i, signal: init.signal ?? null })) as unknown as oidc.CustomFetch;
  if (new URL(target).protocol === 'http:') oidc.allowInsecureRequests(config); // the remote URL policy decided already
  const body = init.body as oidc.FetchBody;
  try {
    return await oidc.fetchProtectedResource(config, token, new URL(target), (init.method ?? 'GET').toUpperCase(), body, headers, { DPoP: key.handle });
  } catch (error) {
    if (error instanceof oidc.WWWAuthenticateChallengeError) return error.response;
    throw error;
  }
}

/** A grant whose access token can be renewed without the user: a refresh token, or a machine client. */
function renewable(g: StoredGrant, tokens: TokenSet | undefined): boolean {
  return Boolean(tokens?.refresh_token) || renewableWithoutUser(g);
}

/** 403 with error="insufficient_scope" becomes StepUpRequiredError; any other response passes. */
async function checkForbidden(serverId: string, res: Response): Promise<Response> {
  if (res.status !== 403) return res;
  const raw = res.headers.get('www-authenticate');
  const challenge = parseWwwAuthenticate(raw);
  if (challenge.error !== 'insufficient_scope') return res;
  await res.body?.cancel();
  throw new StepUpRequiredError(
    serverId,
    `The server needs more permissions${challenge.scopes.length ? ` (${challenge.scopes.join(' ')})` : ''}`,
    raw ?? '',
    challenge.scopes,
  );
}

function covers(g: StoredGrant, url: string): boolean {
  try {
    return checkResourceAllowed({ requestedResource: url, configuredResource: g.resource }) || new URL(url).origin === new URL(g.serverUrl).origin;
  } catch {
    return false;
  }
}
