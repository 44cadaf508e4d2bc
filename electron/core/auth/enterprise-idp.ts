import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import { assertSafeUrl } from '../net/url-policy';
import type { AuthContext } from './auth-context';
import { authorizeInBrowser } from './browser-authorization';
import { clientSecretBasic } from './client-config';
import type { DiscoveryResult } from './discovery';
import { startLoopbackListener } from './loopback';
import { cleanText, describeOAuthError, redact } from './oauth-errors';
import type { Plan } from './sign-in-plans';
import type { AuthServerRef } from './types';

// SEP-990 enterprise-managed authorization, the identity provider's part:
// 1. the user signs in to the enterprise IdP in the system browser (OpenID
//    Connect authorization code + PKCE + nonce, redirect to our loopback
//    listener) and we get an ID token; skipped when the caller already has one;
// 2. RFC 8693 token exchange at the IdP: ID token -> ID-JAG (identity assertion
//    JWT authorization grant) for the MCP server's AS and resource.
// The ID-JAG then goes to the AS in an RFC 7523 jwt-bearer grant (browserless-flows.ts).
// Neither the ID token nor the ID-JAG is ever stored.

const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';
const IDP_REDIRECT_PATH = '/callback';

type Enterprise = NonNullable<AuthServerRef['enterprise']>;

function idpFailure(idp: string, error: unknown, secrets: (string | undefined)[], step: string): IpcError {
  if (error instanceof IpcError) {
    // The user's own cancel stays as it is; what the IdP or the browser leg reported names the IdP.
    if (error.message === 'Sign-in was cancelled' || error.message.includes(idp)) return error;
    const message = error.message.replace(/^The authorization server/, 'the identity provider');
    return new IpcError(error.code, `${step} at the identity provider ${idp} failed: ${redact(message, secrets)}`, error.details);
  }
  const info = describeOAuthError(error, secrets, 'the identity provider');
  return new IpcError(
    info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED',
    `${step} at the identity provider ${idp} failed: ${info.message}`,
    info.oauthError ? { oauthError: info.oauthError, phase: 'identity-provider' } : { phase: 'identity-provider' },
  );
}

/**
 * The openid-client configuration of this app at the IdP: from the issuer's OpenID
 * configuration when the browser sign-in needs it (or no token endpoint is configured),
 * else from the configured token endpoint alone.
 */
async function idpConfiguration(
  ctx: AuthContext,
  server: AuthServerRef,
  needAuthorizationEndpoint: boolean,
): Promise<{ config: oidc.Configuration; name: string }> {
  const e: Enterprise = server.enterprise!;
  const clientAuth = e.idpClientSecret ? clientSecretBasic(e.idpClientSecret) : oidc.None();
  const clientMetadata = { token_endpoint_auth_method: e.idpClientSecret ? 'client_secret_basic' : 'none' };
  const fetchFn = ctx.instrumented('token', server.id) as unknown as oidc.CustomFetch;
  const issuerUrl = e.idpIssuer ? assertSafeUrl(e.idpIssuer, 'auth-configured', { what: 'identity provider issuer' }) : undefined;
  const tokenEndpoint = e.idpTokenEndpoint ? assertSafeUrl(e.idpTokenEndpoint, 'auth-configured', { what: 'identity provider token endpoint' }) : undefined;
  const name = (issuerUrl?.href ?? tokenEndpoint!.origin).replace(/\/$/, '');
  let config: oidc.Configuration;
  if (issuerUrl && (needAuthorizationEndpoint || !tokenEndpoint)) {
    try {
      config = await oidc.discovery(issuerUrl, e.idpClientId, clientMetadata, clientAuth, {
        [oidc.customFetch]: ctx.instrumented('discovery', server.id) as unknown as oidc.CustomFetch,
        execute: issuerUrl.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: 15,
      });
    } catch (error) {
      throw idpFailure(name, error, [e.idpClientSecret], 'Reading the OpenID configuration');
    }
    // The IdP's metadata is outside input like any other: its endpoints pass the URL policy. The IdP is the
    // party the user configured, so its endpoints may be on this computer only if the IdP itself is.
    const m = config.serverMetadata();
    const serverUrl = issuerUrl;
    if (m.authorization_endpoint) assertSafeUrl(m.authorization_endpoint, 'auth-metadata', { what: 'identity provider authorization endpoint', serverUrl });
    if (!m.token_endpoint) throw new IpcError('AUTH_FAILED', `The identity provider ${name} publishes no token endpoint`);
    assertSafeUrl(m.token_endpoint, 'auth-metadata', { what: 'identity provider token endpoint', serverUrl });
    if (tokenEndpoint) {
      // A configured token endpoint wins over the discovered one (some IdPs serve the exchange elsewhere).
      const metadata = { ...(JSON.parse(JSON.stringify(m)) as oidc.ServerMetadata), token_endpoint: tokenEndpoint.href };
      config = new oidc.Configuration(metadata, e.idpClientId, clientMetadata, clientAuth);
    }
  } else {
    const metadata = { issuer: name, token_endpoint: tokenEndpoint!.href } as oidc.ServerMetadata;
    config = new oidc.Configuration(metadata, e.idpClientId, clientMetadata, clientAuth);
  }
  config[oidc.customFetch] = fetchFn;
  const insecure = [config.serverMetadata().issuer, config.serverMetadata().token_endpoint].some((u) => u && new URL(u).protocol === 'http:');
  if (insecure) oidc.allowInsecureRequests(config);
  return { config, name };
}

/** Step 1: the user's sign-in at the IdP in the system browser; resolves with their ID token. */
async function signInAtIdp(ctx: AuthContext, p: Plan, config: oidc.Configuration, name: string, secrets: (string | undefined)[]): Promise<string> {
  if (!config.serverMetadata().authorization_endpoint)
    throw new IpcError('AUTH_FAILED', `The identity provider ${name} publishes no authorization endpoint, so Switchboard cannot sign you in there`);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  secrets.push(verifier);
  const listener = await startLoopbackListener({ state, path: IDP_REDIRECT_PATH, timeoutMs: ctx.deps.signInTimeoutMs });
  p.listener = listener;
  try {
    if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
    const params = {
      redirect_uri: listener.redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    const callbackUrl = await authorizeInBrowser(ctx, {
      config,
      listener,
      params,
      // Checked against the IdP (not the MCP server): the browser goes to the party the user configured.
      serverUrl: new URL(config.serverMetadata().issuer),
      secrets,
      what: 'identity provider sign-in URL',
    });
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    secrets.push(tokens.access_token, tokens.refresh_token, tokens.id_token);
    if (!tokens.id_token) throw new IpcError('AUTH_FAILED', `The identity provider ${name} returned no ID token`);
    return tokens.id_token;
  } catch (error) {
    throw idpFailure(name, error, secrets, 'Signing in');
  } finally {
    listener.close();
    p.listener = undefined;
  }
}

/** Step 2: RFC 8693 token exchange at the IdP, ID token -> ID-JAG for this AS (audience) and MCP server (resource). */
async function exchangeForIdJag(
  config: oidc.Configuration,
  name: string,
  d: DiscoveryResult,
  scopes: string[],
  idToken: string,
  secrets: (string | undefined)[],
): Promise<string> {
  const request: Record<string, string> = {
    subject_token: idToken,
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    audience: d.issuer,
    resource: d.resource,
  };
  if (scopes.length) request.scope = scopes.join(' ');
  let response: oidc.TokenEndpointResponse;
  try {
    response = await oidc.genericGrantRequest(config, GRANT_TOKEN_EXCHANGE, request);
  } catch (error) {
    const info = describeOAuthError(error, secrets, 'the identity provider');
    throw new IpcError(
      info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED',
      `The identity provider ${name} did not issue an identity assertion for ${d.issuer}: ${info.message}`,
      info.oauthError ? { oauthError: info.oauthError, phase: 'token-exchange' } : { phase: 'token-exchange' },
    );
  }
  const issued = (response as { issued_token_type?: unknown }).issued_token_type;
  if (issued !== TOKEN_TYPE_ID_JAG) {
    secrets.push(response.access_token);
    throw new IpcError(
      'AUTH_FAILED',
      `The identity provider ${name} answered the token exchange with ${typeof issued === 'string' ? cleanText(issued, 80) : 'no issued_token_type'} instead of an ID-JAG`,
    );
  }
  return response.access_token;
}

/** Steps 1 and 2: the ID-JAG for this plan (the browser opens at the IdP unless an ID token is given). */
export async function identityAssertionFor(ctx: AuthContext, p: Plan, idToken: string | undefined, secrets: (string | undefined)[]): Promise<string> {
  if (!idToken && !p.server.enterprise?.idpIssuer)
    throw new IpcError(
      'AUTH_REQUIRED',
      "Enterprise-managed authorization needs you to sign in to your identity provider first; configure the identity provider's issuer so Switchboard can open its sign-in page",
      {
        serverId: p.server.id,
        reason: 'id-token-required',
      },
    );
  const { config, name } = await idpConfiguration(ctx, p.server, !idToken);
  const token = idToken ?? (await signInAtIdp(ctx, p, config, name, secrets));
  secrets.push(token);
  if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
  return exchangeForIdJag(config, name, p.discovery, p.plan.scopes, token, secrets);
}
