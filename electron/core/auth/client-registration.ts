import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import { assertSafeUrl } from '../net/url-policy';
import type { AuthContext } from './auth-context';
import { isLoopbackAs, preRegisteredAuth } from './client-config';
import type { DiscoveryResult, FetchFn } from './discovery';
import { clientSecretKey, type GrantStore, type TokenEndpointAuthMethod } from './grant-store';
import type { AuthServerRef, RegistrationKind } from './types';

// Which client signs in: pre-registered → existing DCR client → Client ID
// Metadata Document → Dynamic Client Registration (RFC 7591) → ask the user for
// a client id. DCR registrations are kept per issuer; their secrets in the vault.

/** Sentinel URL: openid-client asks for it during DCR and gets the metadata we already validated. */
const VALIDATED_METADATA_PATH = '/.well-known/switchboard-validated-metadata';

/** The client of an authorization-code sign-in; `registration: 'dynamic'` still has to register once the redirect URI is known. */
export interface ChosenClient {
  registration: RegistrationKind;
  clientId: string;
  clientKey: string;
  method: TokenEndpointAuthMethod;
  secret?: string;
  signingAlgorithm?: string;
  redirectPath?: string;
}

export const dcrClientKey = (d: DiscoveryResult) => `dcr ${d.issuer}`;

/** How the client will be obtained, shown on the consent screen. */
export function registrationFor(clients: GrantStore, server: AuthServerRef, d: DiscoveryResult): RegistrationKind {
  if (server.oauthClient?.clientId) return 'pre-registered';
  if (clients.clients()[dcrClientKey(d)]) return 'existing';
  if (d.registrationOptions.clientIdMetadataDocument && server.clientMetadataUrl) return 'client-id-metadata-document';
  if (d.registrationOptions.dynamic) return 'dynamic';
  return 'manual-required';
}

/** Picks the client for an authorization-code sign-in (no network yet). */
export async function chooseClient(ctx: AuthContext, clients: GrantStore, server: AuthServerRef, d: DiscoveryResult): Promise<ChosenClient> {
  const stored = clients.clients()[dcrClientKey(d)];
  if (server.oauthClient?.clientId) {
    return {
      registration: 'pre-registered',
      clientId: server.oauthClient.clientId,
      clientKey: `pre ${server.id}`,
      redirectPath: '/callback',
      ...preRegisteredAuth(server, d.metadata),
    };
  }
  if (stored) {
    const clientKey = dcrClientKey(d);
    const chosen: ChosenClient = {
      registration: 'existing',
      clientKey,
      clientId: stored.clientId,
      method: stored.tokenEndpointAuthMethod,
      redirectPath: stored.redirectPath,
    };
    if (chosen.method !== 'none') {
      const r = await ctx.deps.vault.get(clientSecretKey(clientKey));
      if (r.status !== 'ok') {
        clients.deleteClient(clientKey);
        throw new IpcError('AUTH_FAILED', 'The stored client registration cannot be read any more; try signing in again to register anew');
      }
      chosen.secret = r.value;
    }
    return chosen;
  }
  if (d.registrationOptions.clientIdMetadataDocument && server.clientMetadataUrl) {
    const u = assertSafeUrl(server.clientMetadataUrl, 'auth-configured', { what: 'client metadata document URL' });
    if (u.pathname === '/') throw new IpcError('VALIDATION', 'The client metadata document URL needs a path');
    return { registration: 'client-id-metadata-document', clientId: u.href, method: 'none', clientKey: `cimd ${d.issuer}`, redirectPath: '/callback' };
  }
  if (d.registrationOptions.dynamic) return { registration: 'dynamic', clientKey: dcrClientKey(d), clientId: '', method: 'none' };
  throw new IpcError(
    'AUTH_FAILED',
    `${d.issuer} does not support automatic client registration; enter a client ID (and secret, if it issued one) for this server in its settings`,
    { reason: 'client-id-required', issuer: d.issuer },
  );
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

/** Dynamic Client Registration for this redirect URI; stores the registration (and its secret) for the issuer. */
export async function registerClient(
  ctx: AuthContext,
  clients: GrantStore,
  d: DiscoveryResult,
  clientKey: string,
  redirectUri: string,
  serverId: string,
): Promise<{ clientId: string; method: TokenEndpointAuthMethod; secret?: string }> {
  const metadata = d.metadata;
  const sentinel = new URL(VALIDATED_METADATA_PATH, metadata.issuer);
  const network = ctx.instrumented('registration', serverId);
  const registrationUrl = metadata.registration_endpoint ? new URL(metadata.registration_endpoint).href : undefined;
  // openid-client fetches the metadata document itself; hand it the one we validated.
  const serve: FetchFn = async (input, init) => {
    const url = typeof input === 'string' ? input : input.href;
    if (url === sentinel.href) return new Response(JSON.stringify(metadata), { status: 200, headers: { 'content-type': 'application/json' } });
    const res = await network(input, init);
    return url === registrationUrl && (init?.method ?? 'GET').toUpperCase() === 'POST' ? normaliseRegistrationResponse(res) : res;
  };
  // No `scope` in the registration: some ASes then restrict the client to it, which would block step-up.
  const clientMetadata: Partial<oidc.ClientMetadata> = {
    client_name: ctx.deps.clientName ?? 'Switchboard',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    application_type: 'native',
  };
  const options: oidc.DynamicClientRegistrationRequestOptions = { [oidc.customFetch]: serve as unknown as oidc.CustomFetch };
  if (isLoopbackAs(metadata) || sentinel.protocol === 'http:') options.execute = [oidc.allowInsecureRequests];
  const config = await oidc.dynamicClientRegistration(sentinel, clientMetadata, oidc.None(), options);
  const registered = config.clientMetadata();
  const clientId = registered.client_id;
  if (typeof clientId !== 'string' || !clientId) throw new IpcError('AUTH_FAILED', 'The authorization server registered no client_id');
  const m = registered.token_endpoint_auth_method;
  const issuedSecret = typeof registered.client_secret === 'string' ? registered.client_secret : undefined;
  const method: TokenEndpointAuthMethod = m === 'client_secret_basic' || m === 'client_secret_post' ? m : issuedSecret ? 'client_secret_basic' : 'none';
  const secret = method === 'none' ? undefined : issuedSecret;
  clients.saveClient(clientKey, {
    issuer: d.issuer,
    clientId,
    registration: 'dynamic',
    tokenEndpointAuthMethod: method,
    redirectPath: new URL(redirectUri).pathname,
    registeredAt: ctx.clock.now(),
  });
  if (secret) await ctx.deps.vault.put(clientSecretKey(clientKey), secret);
  return { clientId, method, secret };
}
