import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import type { AuthContext } from './auth-context';
import { authorizeInBrowser } from './browser-authorization';
import { configFor } from './client-config';
import { chooseClient, dcrClientKey, registerClient } from './client-registration';
import type { GrantStore } from './grant-store';
import { createDpopKey } from './dpop';
import { startLoopbackListener } from './loopback';
import { signInFailure } from './oauth-errors';
import { storeSignIn, type Plan } from './sign-in-plans';
import type { GrantView } from './types';

// The browser sign-in (OAuth 2.1 authorization code with PKCE S256, state and
// RFC 8707 resource): client, loopback listener (RFC 8252), browser, code
// exchange. The OAuth requests are made by openid-client.

/** Registers (if needed), opens the browser, waits for the loopback callback, exchanges the code, stores the grant. */
export async function completeWithBrowser(ctx: AuthContext, grants: GrantStore, p: Plan): Promise<GrantView> {
  const { server, discovery: d, plan } = p;
  const secrets: (string | undefined)[] = [server.oauthClient?.clientSecret];
  const sendResource = !server.omitResourceParameter;
  try {
    // 1. Client: pre-registered, existing DCR client, CIMD, DCR, else ask the user.
    const client = await chooseClient(ctx, grants, server, d);
    let { clientId, method, secret } = client;
    secrets.push(secret);

    // 2. Loopback listener (before DCR: the redirect URI carries its port).
    const state = oidc.randomState();
    const listener = await startLoopbackListener({ state, path: client.redirectPath, timeoutMs: ctx.deps.signInTimeoutMs });
    p.listener = listener;
    try {
      if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
      if (client.registration === 'dynamic') {
        ({ clientId, method, secret } = await registerClient(ctx, grants, d, client.clientKey, listener.redirectUri, plan.serverId));
        secrets.push(secret);
      }
      if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
      const config = await configFor(ctx, d.metadata, clientId, method, secret, 'token', plan.serverId, client.signingAlgorithm);

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
      // DPoP: a fresh key for this grant; dpop_jkt binds the authorization code to it (RFC 9449 §10).
      const dpop = plan.dpopAlg ? await createDpopKey(plan.dpopAlg) : undefined;
      if (dpop) params.dpop_jkt = dpop.key.jkt;
      const callbackUrl = await authorizeInBrowser(ctx, { config, listener, params, serverUrl: new URL(d.serverUrl), secrets });

      // 4. Code exchange. openid-client checks state and RFC 9207 `iss` (required when the AS advertises
      // authorization_response_iss_parameter_supported, compared by exact string whenever present) before any
      // request, and with DPoP sends the proof and retries once on use_dpop_nonce.
      const tokens = await oidc.authorizationCodeGrant(
        config,
        callbackUrl,
        { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: false },
        sendResource ? { resource: d.resource } : undefined,
        dpop ? { DPoP: dpop.key.handle } : undefined,
      );
      if (p.cancelled) throw new IpcError('CANCELLED', 'Sign-in was cancelled');
      return await storeSignIn(
        ctx,
        grants,
        p,
        {
          clientId,
          clientKey: client.clientKey,
          registration: client.registration,
          method,
          secret,
          signingAlgorithm: client.signingAlgorithm,
          grantType: 'authorization_code',
          sendResource,
          dpop,
        },
        tokens,
      );
    } finally {
      listener.close();
    }
  } catch (error) {
    const failure = signInFailure(error, secrets, plan.serverUrl);
    // A stored registration the AS forgot: drop it so the next attempt registers anew.
    if ((failure.oauthError === 'invalid_client' || failure.oauthError === 'unauthorized_client') && plan.registration === 'existing')
      grants.deleteClient(dcrClientKey(d));
    throw failure.error;
  }
}
