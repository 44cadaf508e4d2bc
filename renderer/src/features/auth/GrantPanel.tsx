import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import type { ServerView } from '../../api';
import { Confirm } from '../../components/Confirm';
import { useAuth } from './store';

// The grant as it stands: who issued it, to which client, which scopes, until
// when. Revoke ends it at the authorization server (RFC 7009) where possible.

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

const GRANT_LABEL: Record<string, string> = {
  client_credentials: 'client credentials (no user)',
  authorization_code: 'browser sign-in (authorization code + PKCE)',
  'jwt-bearer': 'enterprise identity provider (token exchange, then JWT bearer)',
  'workload-identity': 'workload identity (JWT bearer, no user)',
};

export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h} h ${m} min` : m ? `${m} min ${sec} s` : `${sec} s`;
}

const REGISTRATION_LABEL: Record<string, string> = {
  'pre-registered': 'pre-registered',
  'client-id-metadata-document': 'client ID metadata document',
  dynamic: 'dynamic registration',
  existing: 'existing registration',
  'manual-required': 'manual',
};

export function GrantPanel({ server }: { server: ServerView }) {
  const { grants, grantErrors, notices, loadGrant, startSignIn, revoke, signOut } = useAuth();
  const confirmRevoke = useAuth((s) => s.confirmingRevoke === server.id);
  const setConfirmRevoke = (on: boolean) => useAuth.getState().confirmRevoke(on ? server.id : undefined);
  const now = useNow();
  useEffect(() => void loadGrant(server.id), [server.id, loadGrant]);
  const grant = grants[server.id];

  return (
    <div className="grant">
      <ErrorNote message={grantErrors[server.id]} />
      {notices[server.id] && (
        <p className="note" role="status">
          {notices[server.id]}
        </p>
      )}
      {!grant ? (
        <>
          <p className="empty">
            Not signed in. {server.status.authRequired ? 'This server requires sign-in.' : 'Switchboard signs in when the server asks for it.'}
          </p>
          <button type="button" className="primary" onClick={() => startSignIn(server.id)}>
            Sign in
          </button>
        </>
      ) : (
        <>
          {grant.needsSignIn && <ErrorNote message={`Sign in again${grant.lastError ? `: ${grant.lastError}` : '.'}`} />}
          <dl className="facts" aria-label="Grant">
            <dt>Authorization server</dt>
            <dd>
              <code>{grant.issuer}</code>
            </dd>
            <dt>Resource</dt>
            <dd>
              <code>{grant.resource}</code>
            </dd>
            <dt>Client</dt>
            <dd>
              <code>{grant.clientId}</code> <span className="hint">({REGISTRATION_LABEL[grant.registration] ?? grant.registration})</span>
            </dd>
            <dt>Sign-in method</dt>
            <dd>{GRANT_LABEL[grant.grantType] ?? grant.grantType}</dd>
            <dt>Scopes requested</dt>
            <dd>{grant.scopesRequested.length ? grant.scopesRequested.join(' ') : <em>none</em>}</dd>
            <dt>Scopes granted</dt>
            <dd data-testid="scopes-granted">{grant.scopesGranted.length ? grant.scopesGranted.join(' ') : <em>none</em>}</dd>
            <dt>Access token</dt>
            <dd data-testid="token-expiry">
              {grant.accessTokenExpiresAt
                ? `expires in ${formatCountdown(grant.accessTokenExpiresAt - now)} (${new Date(grant.accessTokenExpiresAt).toLocaleTimeString()})`
                : 'no expiry given'}
            </dd>
            <dt>Token binding</dt>
            <dd data-testid="token-binding">
              {grant.dpop ? (
                <>
                  {grant.dpop.senderConstrained
                    ? `sender-constrained (DPoP, ${grant.dpop.alg}): only this computer's key can use the token`
                    : `DPoP key (${grant.dpop.alg}) kept, but the authorization server issued a bearer token`}
                  <br />
                  <span className="hint">
                    key thumbprint <code>{grant.dpop.thumbprint}</code>
                  </span>
                </>
              ) : (
                'bearer token (no proof of possession)'
              )}
            </dd>
            <dt>Refresh token</dt>
            <dd>{grant.hasRefreshToken ? 'yes: Switchboard renews access automatically' : 'no: you will sign in again when access expires'}</dd>
            <dt>Last refresh</dt>
            <dd>{grant.lastRefreshAt ? new Date(grant.lastRefreshAt).toLocaleString() : 'never'}</dd>
            {grant.lastError && !grant.needsSignIn && (
              <>
                <dt>Last error</dt>
                <dd>{grant.lastError}</dd>
              </>
            )}
            <dt>Stored</dt>
            <dd>{grant.storage === 'encrypted' ? 'encrypted on this computer' : 'in memory for this session only (no secure storage available)'}</dd>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => startSignIn(server.id)}>
              {grant.needsSignIn ? 'Sign in' : 'Re-authorize'}
            </button>
            <button type="button" onClick={() => signOut(server.id)}>
              Sign out
            </button>
            <button type="button" className="danger" onClick={() => setConfirmRevoke(true)}>
              Revoke
            </button>
          </div>
          {confirmRevoke && (
            <Confirm
              label="Confirm revocation"
              confirmLabel="Revoke grant"
              onKeep={() => setConfirmRevoke(false)}
              onConfirm={() => {
                setConfirmRevoke(false);
                void revoke(server.id);
              }}
            >
              {grant.revocationSupported
                ? `Revoke this grant at ${grant.issuer}? The tokens stop working everywhere.`
                : `${grant.issuer} offers no revocation: the tokens are deleted here, but the grant still lives at the authorization server until it expires.`}
            </Confirm>
          )}
        </>
      )}
    </div>
  );
}
