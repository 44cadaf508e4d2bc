import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  checkResourceAllowed,
  resourceUrlFromServerUrl,
  LATEST_PROTOCOL_VERSION,
} from '@modelcontextprotocol/client';
import { IpcError } from '../../../shared/contract/errors';
import { parseWwwAuthenticate, type BearerChallenge } from './challenge';
import type { IssuerRelation, ScopeSource } from './types';
import { assertSafeUrl } from '../net/url-policy';

// MCP authorization discovery (2025-11-25 order, with the 2025-03-26 fallback).
// The SDK helpers do the fetching and schema parsing; this module decides what
// to trust: PRM `resource` must cover the server URL, every endpoint must pass
// the URL guard, and PKCE S256 must be advertised.

export type FetchFn = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The authorization server metadata fields we use (all endpoints already URL-guarded). */
export interface AuthorizationServerInfo {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  scopes_supported?: string[];
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  token_endpoint_auth_signing_alg_values_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  client_id_metadata_document_supported?: boolean;
  authorization_response_iss_parameter_supported?: boolean;
  grant_types_supported?: string[];
  response_types_supported: string[];
  /** RFC 9449 §5.1: the AS issues DPoP-bound tokens for proofs signed with these algorithms. */
  dpop_signing_alg_values_supported?: string[];
}

export interface DiscoveryResult {
  serverUrl: string;
  /** RFC 8707 resource indicator: the PRM `resource` verbatim, else the server URL without fragment. */
  resource: string;
  resourceSource: 'protected-resource-metadata' | 'server-url';
  /** Where the PRM was read from (absent for 2025-03-26 servers). */
  protectedResourceMetadataUrl?: string;
  issuer: string;
  issuerRelation: IssuerRelation;
  /** 'legacy-defaults': 2025-03-26 server without metadata; /authorize, /token, /register at its origin. */
  metadataSource: 'metadata' | 'legacy-defaults';
  metadata: AuthorizationServerInfo;
  endpoints: { authorization: string; token: string; registration?: string; revocation?: string };
  registrationOptions: { dynamic: boolean; clientIdMetadataDocument: boolean; tokenEndpointAuthMethods: string[] };
  scopes: string[];
  scopeSource: ScopeSource;
  /** offline_access was added because the AS lists it. */
  offlineAccessAdded: boolean;
  challenge: BearerChallenge;
}

export interface DiscoverOptions {
  /** Raw WWW-Authenticate value, or an already parsed challenge. */
  challenge?: string | BearerChallenge;
  /** Scopes configured by the user for a pre-registered client. */
  configuredScopes?: string;
  fetchFn?: FetchFn;
  protocolVersion?: string;
  /**
   * The grant the client will use (default 'authorization_code'). For grants without a
   * browser (client_credentials; the jwt-bearer grant of SEP-990) PKCE is irrelevant, so
   * code_challenge_methods_supported is not required. (authorization_endpoint still is:
   * the SDK's metadata schema requires it.)
   */
  grantType?: 'authorization_code' | 'client_credentials' | 'jwt-bearer';
}

export interface ScopeSelection {
  scopes: string[];
  source: ScopeSource;
  offlineAccessAdded: boolean;
}

function splitScopes(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string' && s.length > 0 && !/\s/.test(s));
  return [];
}

/**
 * Scope selection (2025-11-25): challenge scope, else configured scopes, else
 * PRM scopes_supported, else none.
 *
 * offline_access (SEP-2207, 2026-07-28 "Refresh Tokens"): it is a matter between
 * the client and the AS, not a resource scope. It is added only when the AS lists
 * it in scopes_supported (and some scope is requested anyway), and when the AS does
 * not list it, it is dropped from what the resource server's challenge or PRM asked
 * for. Scopes the user configured are sent as configured. A refresh token is never
 * assumed: the grant records whether one came.
 */
export function selectScopes(input: {
  challengeScopes?: string[];
  configuredScopes?: string | string[];
  prmScopesSupported?: unknown;
  asScopesSupported?: unknown;
}): ScopeSelection {
  let scopes: string[];
  let source: ScopeSource;
  const fromChallenge = input.challengeScopes ?? [];
  const configured = splitScopes(input.configuredScopes);
  const prm = splitScopes(input.prmScopesSupported);
  if (fromChallenge.length) [scopes, source] = [fromChallenge, 'challenge'];
  else if (configured.length) [scopes, source] = [configured, 'configured'];
  else if (prm.length) [scopes, source] = [prm, 'scopes_supported'];
  else [scopes, source] = [[], 'none'];
  scopes = [...new Set(scopes)];
  const asOffersOffline = splitScopes(input.asScopesSupported).includes('offline_access');
  if (!asOffersOffline && source !== 'configured') scopes = scopes.filter((s) => s !== 'offline_access');
  let offlineAccessAdded = false;
  if (asOffersOffline && !scopes.includes('offline_access') && scopes.length > 0) {
    scopes.push('offline_access');
    offlineAccessAdded = true;
  }
  return { scopes, source, offlineAccessAdded };
}

function failed(message: string, details?: unknown): IpcError {
  return new IpcError('AUTH_FAILED', message, details);
}

function describeError(error: unknown): string {
  if (error instanceof IpcError) return error.message;
  if (error && typeof error === 'object' && 'issues' in error && Array.isArray((error as { issues: unknown[] }).issues)) {
    const issues = (error as { issues: { path?: unknown[]; message?: string }[] }).issues;
    return issues
      .slice(0, 3)
      .map((i) => `${(i.path ?? []).join('.') || 'document'}: ${String(i.message ?? 'invalid').slice(0, 160)}`)
      .join('; ');
  }
  if (error instanceof Error) return error.message.slice(0, 300);
  return 'unknown error';
}

const stripSlash = (s: string) => (s.endsWith('/') ? s.slice(0, -1) : s);

/**
 * `sameOriginIssuer`: the 2025-03-26 no-PRM path. There the metadata URL is built
 * from the MCP server's origin, not from a known issuer, so an AS that lives under
 * a path of that origin (issuer `<origin>/oauth`) is legitimate; its issuer must
 * still be on exactly that origin.
 */
function validateMetadata(
  raw: Record<string, unknown>,
  expectedIssuer: string,
  context: { serverUrl: URL },
  opts: { sameOriginIssuer?: boolean; browserless?: boolean } = {},
): AuthorizationServerInfo {
  const issuer = typeof raw.issuer === 'string' ? raw.issuer : '';
  const issuerUrl = assertSafeUrl(issuer, 'auth-metadata', { what: 'issuer in authorization server metadata', ...context });
  // RFC 8414 §3.3: the issuer in the document must be the one we asked for.
  const matches =
    stripSlash(issuer) === stripSlash(expectedIssuer) ||
    (opts.sameOriginIssuer === true && issuerUrl.origin === new URL(expectedIssuer).origin && !issuerUrl.search && !issuerUrl.hash);
  if (!matches) throw failed(`Refusing authorization server metadata: its issuer ${issuer} does not match ${expectedIssuer}`);
  const methods = raw.code_challenge_methods_supported;
  if (!opts.browserless && !Array.isArray(methods))
    throw failed(`Refusing authorization server ${issuer}: it does not advertise PKCE support (code_challenge_methods_supported is absent)`);
  if (!opts.browserless && Array.isArray(methods) && !methods.includes('S256'))
    throw failed(
      `Refusing authorization server ${issuer}: it does not support PKCE S256 (code_challenge_methods_supported: ${
        methods
          .filter((m) => typeof m === 'string')
          .slice(0, 5)
          .join(', ') || 'none'
      })`,
    );
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const arr = (k: string) => (Array.isArray(raw[k]) ? (raw[k] as unknown[]).filter((x): x is string => typeof x === 'string') : undefined);
  const authorization = str('authorization_endpoint');
  const token = str('token_endpoint');
  if (!authorization) throw failed(`Refusing authorization server ${issuer}: no authorization_endpoint`);
  if (!token) throw failed(`Refusing authorization server ${issuer}: no token_endpoint`);
  assertSafeUrl(authorization, 'auth-metadata', { what: 'authorization_endpoint', ...context });
  assertSafeUrl(token, 'auth-metadata', { what: 'token_endpoint', ...context });
  const registration = str('registration_endpoint');
  if (registration) assertSafeUrl(registration, 'auth-metadata', { what: 'registration_endpoint', ...context });
  const revocation = str('revocation_endpoint');
  if (revocation) assertSafeUrl(revocation, 'auth-metadata', { what: 'revocation_endpoint', ...context });
  // Not fetched today (no ID tokens are validated), but refused like the others should that change.
  const jwks = str('jwks_uri');
  if (jwks) assertSafeUrl(jwks, 'auth-metadata', { what: 'jwks_uri', ...context });
  const info: AuthorizationServerInfo = {
    issuer,
    authorization_endpoint: authorization,
    token_endpoint: token,
    response_types_supported: arr('response_types_supported') ?? ['code'],
    code_challenge_methods_supported: arr('code_challenge_methods_supported'),
  };
  if (registration) info.registration_endpoint = registration;
  if (revocation) info.revocation_endpoint = revocation;
  for (const k of [
    'scopes_supported',
    'token_endpoint_auth_methods_supported',
    'token_endpoint_auth_signing_alg_values_supported',
    'revocation_endpoint_auth_methods_supported',
    'grant_types_supported',
    'dpop_signing_alg_values_supported',
  ] as const) {
    const v = arr(k);
    if (v) info[k] = v;
  }
  if (raw.client_id_metadata_document_supported === true) info.client_id_metadata_document_supported = true;
  if (raw.authorization_response_iss_parameter_supported === true) info.authorization_response_iss_parameter_supported = true;
  return info;
}

async function fetchAsMetadata(asUrl: string, fetchFn: FetchFn, protocolVersion: string): Promise<Record<string, unknown> | undefined> {
  try {
    // The SDK checks the issuer echo (RFC 8414 §3.3) strictly. validatedMetadata checks it
    // again with the one exception the 2025-03-26 no-PRM path needs (an issuer under a path
    // of the MCP origin), so the SDK's check is left to it and every refusal reads the same.
    return (await discoverAuthorizationServerMetadata(asUrl, { fetchFn, protocolVersion, skipIssuerValidation: true })) as Record<string, unknown> | undefined;
  } catch (error) {
    throw failed(`Could not read the authorization server metadata of ${asUrl}: ${describeError(error)}`);
  }
}

/** Discovers resource, authorization server and scopes for an MCP server. Throws IpcError AUTH_FAILED. */
export async function discover(serverUrl: string, options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const fetchFn: FetchFn = options.fetchFn ?? ((input, init) => fetch(input, init));
  const protocolVersion = options.protocolVersion ?? LATEST_PROTOCOL_VERSION;
  const server = assertSafeUrl(serverUrl, 'mcp-server');
  // Every URL the server or its AS hands us is checked against where the server is.
  const context = { serverUrl: server };
  const challenge = typeof options.challenge === 'string' || options.challenge === undefined ? parseWwwAuthenticate(options.challenge) : options.challenge;

  // 1. Protected Resource Metadata: header URL, else path-inserted well-known, else root (the SDK does the last two).
  let prm: Record<string, unknown> | undefined;
  let prmUrl: string | undefined;
  const prmFromHeader = challenge.resourceMetadata;
  let headerFailure: string | undefined;
  if (prmFromHeader) {
    const u = assertSafeUrl(prmFromHeader, 'auth-metadata', { what: 'resource_metadata URL from WWW-Authenticate', ...context });
    try {
      prm = (await discoverOAuthProtectedResourceMetadata(server, { resourceMetadataUrl: u, protocolVersion }, fetchFn)) as Record<string, unknown>;
      prmUrl = u.href;
    } catch (error) {
      headerFailure = describeError(error);
    }
  }
  let prmMissing = false;
  if (!prm) {
    try {
      prm = (await discoverOAuthProtectedResourceMetadata(server, { protocolVersion }, fetchFn)) as Record<string, unknown>;
      prmUrl = 'well-known';
    } catch (error) {
      const msg = describeError(error);
      if (/does not implement OAuth 2\.0 Protected Resource Metadata/i.test(msg) && !headerFailure) prmMissing = true;
      else throw failed(`Could not read the protected resource metadata of ${server.origin}: ${headerFailure ?? msg}`);
    }
  }

  let resource: string;
  let resourceSource: DiscoveryResult['resourceSource'];
  let asUrl: string;
  let legacy = false;
  if (prm && !prmMissing) {
    const prmResource = typeof prm.resource === 'string' ? prm.resource : '';
    let resUrl: URL;
    try {
      resUrl = assertSafeUrl(prmResource, 'auth-metadata', { what: 'protected resource metadata "resource"', ...context });
    } catch (error) {
      throw failed(`Refusing protected resource metadata: ${describeError(error)}`);
    }
    // The PRM must describe this server: same origin, and a path prefix of the server URL.
    if (resUrl.hash || !checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(server), configuredResource: resUrl })) {
      throw failed(
        `Refusing protected resource metadata: it is for ${resUrl.origin}${resUrl.pathname}, which does not cover the server URL ${server.origin}${server.pathname}`,
      );
    }
    resource = prmResource;
    resourceSource = 'protected-resource-metadata';
    const servers = Array.isArray(prm.authorization_servers) ? prm.authorization_servers.filter((s): s is string => typeof s === 'string') : [];
    if (!servers.length) throw failed('Refusing protected resource metadata: it lists no authorization_servers');
    assertSafeUrl(servers[0]!, 'auth-metadata', { what: 'authorization server URL from protected resource metadata', ...context });
    asUrl = servers[0]!;
  } else {
    // 2025-03-26: the MCP server's origin is the authorization server.
    resource = resourceUrlFromServerUrl(server).href;
    resourceSource = 'server-url';
    asUrl = server.origin;
    legacy = true;
  }
  if (prmUrl === 'well-known') prmUrl = undefined;

  // 2. Authorization server metadata (RFC 8414, then OIDC, with path insertion).
  const raw = await fetchAsMetadata(asUrl, fetchFn, protocolVersion);
  let metadata: AuthorizationServerInfo;
  let metadataSource: DiscoveryResult['metadataSource'] = 'metadata';
  if (raw) {
    metadata = validateMetadata(raw, asUrl, context, {
      sameOriginIssuer: legacy,
      browserless: (options.grantType ?? 'authorization_code') !== 'authorization_code',
    });
  } else if (legacy) {
    const origin = server.origin;
    metadata = {
      issuer: origin,
      authorization_endpoint: `${origin}/authorize`,
      token_endpoint: `${origin}/token`,
      registration_endpoint: `${origin}/register`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    };
    metadataSource = 'legacy-defaults';
  } else {
    throw failed(`The authorization server ${asUrl} publishes no OAuth or OpenID metadata`);
  }

  const sel = selectScopes({
    challengeScopes: challenge.scopes,
    configuredScopes: options.configuredScopes,
    prmScopesSupported: prm?.scopes_supported,
    asScopesSupported: metadata.scopes_supported,
  });
  const prmOut = prmUrl ?? (prm && !prmMissing ? `${server.origin}/.well-known/oauth-protected-resource` : undefined);
  const result: DiscoveryResult = {
    serverUrl: server.href,
    resource,
    resourceSource,
    issuer: metadata.issuer,
    issuerRelation: new URL(metadata.issuer).origin === server.origin ? 'same-origin' : 'third-party',
    metadataSource,
    metadata,
    endpoints: { authorization: metadata.authorization_endpoint, token: metadata.token_endpoint },
    registrationOptions: {
      dynamic: Boolean(metadata.registration_endpoint),
      clientIdMetadataDocument: Boolean(metadata.client_id_metadata_document_supported),
      tokenEndpointAuthMethods: metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'],
    },
    scopes: sel.scopes,
    scopeSource: sel.source,
    offlineAccessAdded: sel.offlineAccessAdded,
    challenge,
  };
  if (prmOut) result.protectedResourceMetadataUrl = prmOut;
  if (metadata.registration_endpoint) result.endpoints.registration = metadata.registration_endpoint;
  if (metadata.revocation_endpoint) result.endpoints.revocation = metadata.revocation_endpoint;
  return result;
}
