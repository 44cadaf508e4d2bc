import * as oidc from 'openid-client';
import { assertSafeUrl } from '../net/url-policy';
import { IpcError } from '../../../shared/contract/errors';
import type { AuthContext } from './auth-context';
import type { LoopbackListener } from './loopback';
import { describeOAuthError } from './oauth-errors';

// The browser leg of an authorization-code flow, shared by the MCP server's AS
// sign-in (authorization-code-flow.ts) and the enterprise IdP sign-in
// (enterprise-idp.ts): build the authorization URL (openid-client), refuse an
// unsafe one, open the system browser, wait for the loopback redirect.

export interface BrowserAuthorization {
  config: oidc.Configuration;
  listener: LoopbackListener;
  /** Authorization request parameters (redirect_uri, PKCE, state, scope, ...). */
  params: Record<string, string>;
  /** The MCP server the sign-in is for (a remote server may not point the browser at this computer). */
  serverUrl: URL;
  /** Values to scrub from error messages; the code is added once it arrives. */
  secrets: (string | undefined)[];
  what?: string;
}

/** Opens the browser at the authorization endpoint and resolves with the redirect the loopback listener received. */
export async function authorizeInBrowser(ctx: AuthContext, a: BrowserAuthorization): Promise<URL> {
  const authUrl = assertSafeUrl(oidc.buildAuthorizationUrl(a.config, a.params).href, 'auth-metadata', {
    what: a.what ?? 'authorization URL',
    serverUrl: a.serverUrl,
  });
  const opened = ctx.deps.browser.open(authUrl.href).then(
    () => undefined,
    (error: unknown) => {
      a.listener.close(new IpcError('AUTH_FAILED', `Could not open the browser: ${describeOAuthError(error, a.secrets).message}`));
    },
  );
  const { callbackUrl } = await a.listener.result;
  await opened;
  a.secrets.push(callbackUrl.searchParams.get('code') ?? undefined);
  return callbackUrl;
}
