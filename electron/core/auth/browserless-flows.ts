import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import { assertSafeUrl } from '../net/url-policy';
import type { AuthContext } from './auth-context';
import { clientSecretBasic, configFor, preRegisteredAuth } from './client-config';
import type { DiscoveryResult } from './discovery';
import type { GrantStore } from './grant-store';
import { cleanText, describeOAuthError, signInFailure } from './oauth-errors';
import { storeSignIn, type Plan } from './sign-in-plans';
import type { AuthServerRef, CompleteSignInOptions, GrantView } from './types';

// Sign-in without a browser: the client_credentials grant (SEP-1046), or SEP-990
// enterprise-managed authorization (RFC 8693 token exchange of the user's ID
// token at the IdP for an ID-JAG, then the RFC 7523 jwt-bearer grant at the AS).

const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const GRANT_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_TYPE_ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const TOKEN_TYPE_ID_JAG = 'urn:ietf:params:oauth:token-type:id-jag';

export async function completeWithoutBrowser(ctx: AuthContext, grants: GrantStore, p: Plan, opts: CompleteSignInOptions): Promise<GrantView> {
  const { server, discovery: d, plan } = p;
  const c = server.oauthClient!;
  const sendResource = !server.omitResourceParameter;
  const { method, secret, signingAlgorithm } = preRegisteredAuth(server, d.metadata);
  const secrets: (string | undefined)[] = [c.clientSecret, c.privateKeyPem, server.enterprise?.idpClientSecret, opts.idToken];
  const clientKey = `pre ${server.id}`;
  const params: Record<string, string> = {};
  if (plan.scopes.length) params.scope = plan.scopes.join(' ');
  if (sendResource) params.resource = d.resource;
  try {
    const config = await configFor(ctx, d.metadata, c.clientId, method, secret, 'token', server.id, signingAlgorithm);
    let tokens: oidc.TokenEndpointResponse;
    if (plan.grantType === 'client_credentials') {
      tokens = await oidc.clientCredentialsGrant(config, params);
    } else {
      const assertion = await exchangeIdTokenForIdJag(ctx, server, d, plan.scopes, opts.idToken, secrets);
      secrets.push(assertion);
      tokens = await oidc.genericGrantRequest(config, GRANT_JWT_BEARER, { ...params, assertion });
    }
    secrets.push(tokens.access_token, tokens.refresh_token);
    if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
    return await storeSignIn(
      ctx,
      grants,
      p,
      { clientId: c.clientId, clientKey, registration: 'pre-registered', method, secret, signingAlgorithm, grantType: plan.grantType, sendResource },
      tokens,
    );
  } catch (error) {
    throw signInFailure(error, secrets, plan.serverUrl).error;
  }
}

/** SEP-990 step 1: RFC 8693 token exchange at the enterprise IdP, ID token -> ID-JAG for this AS and resource. */
async function exchangeIdTokenForIdJag(
  ctx: AuthContext,
  server: AuthServerRef,
  d: DiscoveryResult,
  scopes: string[],
  idToken: string | undefined,
  secrets: (string | undefined)[],
): Promise<string> {
  const e = server.enterprise!;
  if (!idToken)
    throw new IpcError('AUTH_REQUIRED', 'Enterprise-managed authorization needs you to sign in to your identity provider first', {
      serverId: server.id,
      reason: 'id-token-required',
    });
  const tokenEndpoint = assertSafeUrl(e.idpTokenEndpoint, 'auth-configured', { what: 'identity provider token endpoint' });
  const idpIssuer = e.idpIssuer
    ? assertSafeUrl(e.idpIssuer, 'auth-configured', { what: 'identity provider issuer' }).href.replace(/\/$/, '')
    : tokenEndpoint.origin;
  const idpMetadata = { issuer: idpIssuer, token_endpoint: tokenEndpoint.href } as oidc.ServerMetadata;
  const clientAuth = e.idpClientSecret ? clientSecretBasic(e.idpClientSecret) : oidc.None();
  const idp = new oidc.Configuration(
    idpMetadata,
    e.idpClientId,
    { token_endpoint_auth_method: e.idpClientSecret ? 'client_secret_basic' : 'none' },
    clientAuth,
  );
  idp[oidc.customFetch] = ctx.instrumented('token', server.id) as unknown as oidc.CustomFetch;
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
    throw new IpcError(
      info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED',
      `The identity provider ${idpIssuer} did not issue an identity assertion for ${d.issuer}: ${info.message}`,
      info.oauthError ? { oauthError: info.oauthError, phase: 'token-exchange' } : { phase: 'token-exchange' },
    );
  }
  const issued = (response as { issued_token_type?: unknown }).issued_token_type;
  if (issued !== TOKEN_TYPE_ID_JAG) {
    secrets.push(response.access_token);
    throw new IpcError(
      'AUTH_FAILED',
      `The identity provider ${idpIssuer} answered the token exchange with ${typeof issued === 'string' ? cleanText(issued, 80) : 'no issued_token_type'} instead of an ID-JAG`,
    );
  }
  return response.access_token;
}
