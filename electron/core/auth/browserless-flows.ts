import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import type { AuthContext } from './auth-context';
import { configFor, preRegisteredAuth } from './client-config';
import { identityAssertionFor } from './enterprise-idp';
import type { GrantStore } from './grant-store';
import { signInFailure } from './oauth-errors';
import { storeSignIn, type Plan } from './sign-in-plans';
import type { CompleteSignInOptions, GrantView } from './types';
import { GRANT_JWT_BEARER, readWorkloadAssertion } from './workload-assertion';

// Sign-in without a browser at the MCP server's AS: the client_credentials grant
// (SEP-1046), and the RFC 7523 jwt-bearer grant with either the workload's own
// platform JWT (SEP-1933 workload identity federation) or an ID-JAG from the
// enterprise IdP (SEP-990 enterprise-managed authorization; getting the ID-JAG
// may open the browser at the IdP, see enterprise-idp.ts).

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
      // One attempt: a rejected assertion is reported, never retried or swapped for another grant.
      const assertion =
        plan.grantType === 'workload-identity'
          ? await readWorkloadAssertion(server.workloadIdentity!, ctx.deps.vault)
          : await identityAssertionFor(ctx, p, opts.idToken, secrets);
      secrets.push(assertion);
      if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
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
