import * as oidc from 'openid-client';
import type { AuthContext } from './auth-context';
import { configForGrant } from './client-config';
import type { GrantStore, StoredGrant } from './grant-store';
import { describeOAuthError } from './oauth-errors';
import type { RevokeResult } from './types';

// Ending a grant at the authorization server: RFC 7009 revocation of the
// refresh token, then the access token. The local copy goes only when the AS
// confirmed (or cannot revoke at all), so a failed revocation can be retried.

/** `removeLocal` deletes the grant on this computer (tokens, metadata, step-up counters). */
export async function revokeGrant(ctx: AuthContext, grants: GrantStore, g: StoredGrant, removeLocal: (g: StoredGrant) => void): Promise<RevokeResult> {
  const tokens = await grants.readTokens(g);
  if (!g.metadata.revocation_endpoint) {
    removeLocal(g);
    return {
      revokedAtServer: false,
      message: `Deleted the tokens from this computer. ${g.issuer} does not offer token revocation, so the grant still exists there until it expires; revoke it in that service's account settings.`,
    };
  }
  if (!tokens) {
    removeLocal(g);
    return {
      revokedAtServer: false,
      message: 'Deleted the sign-in from this computer. The stored tokens could not be read, so nothing could be revoked at the authorization server.',
    };
  }
  let accessTokenNote = '';
  try {
    const config = await configForGrant(ctx, g, 'revocation');
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
    grants.updateGrant(g.serverId, { lastError: `Revocation failed: ${info.message}` });
    ctx.changed(g.serverId);
    return {
      revokedAtServer: false,
      message: `Could not revoke at ${g.issuer}: ${info.message}. The sign-in was kept so you can retry; use Sign out to delete it from this computer only.`,
    };
  }
  removeLocal(g);
  return { revokedAtServer: true, message: `Revoked at ${g.issuer} and deleted from this computer.${accessTokenNote}` };
}
