import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { useServers } from '../servers';
import { useAuth } from './store';

// Shown before any browser opens: who will be asked, for what, and on whose
// behalf. Cancel leaves everything as it was.

const REGISTRATION: Record<string, string> = {
  'pre-registered': 'A client ID you configured for this server',
  'client-id-metadata-document': 'Client ID metadata document (URL-based client ID)',
  dynamic: 'Dynamic client registration: Switchboard registers itself with the authorization server',
  existing: 'The client registration Switchboard made earlier',
  'manual-required': 'None available: the authorization server does not support automatic registration',
};

const SCOPE_SOURCE: Record<string, string> = {
  challenge: 'requested by the server in its sign-in challenge',
  scopes_supported: "all scopes listed in the server's metadata",
  configured: 'the scopes you configured for this server',
  none: 'none requested: the authorization server decides',
};

export function ConsentDialog() {
  const { signIn, continueSignIn, cancelSignIn } = useAuth();
  const serverName = useServers((s) => (signIn ? s.servers[signIn.serverId]?.name : undefined));
  if (!signIn) return null;
  const { plan } = signIn;
  const title = plan?.stepUp ? `Grant more access to ${serverName ?? 'this server'}?` : `Sign in to ${serverName ?? 'this server'}`;
  return (
    <Dialog title={title} onClose={cancelSignIn} wide>
      {signIn.phase === 'discovering' && <p role="status">Looking up how this server signs in…</p>}
      {signIn.phase === 'error' && <ErrorNote title="Sign-in failed:" message={signIn.error} />}
      {plan && (
        <>
          {plan.movedFromIssuer && (
            <div className="note" role="note" data-testid="consent-moved">
              <strong>This server moved to another authorization server.</strong> It used to sign in at <code>{plan.movedFromIssuer}</code> and now names{' '}
              <code>{plan.issuer}</code>. Switchboard registers there anew; your current sign-in is replaced when this one succeeds.
            </div>
          )}
          <dl className="spec consent" aria-label="What you are about to grant">
            <dt>Server</dt>
            <dd>
              <code>{plan.serverUrl}</code>
            </dd>
            <dt>Resource</dt>
            <dd>
              <code>{plan.resource}</code>
              {!plan.resourceSent && <span className="hint"> (not sent: the resource parameter is turned off for this server)</span>}
            </dd>
            <dt>Authorization server</dt>
            <dd>
              <code data-testid="consent-issuer">{plan.issuer}</code>{' '}
              <span className={plan.issuerRelation === 'third-party' ? 'chip chip-third-party' : 'chip'}>
                {plan.issuerRelation === 'same-origin' ? "the server's own origin" : 'third party'}
              </span>
            </dd>
            {plan.tokenEndpointOrigin && (
              <>
                <dt>Token endpoint</dt>
                <dd>
                  <code data-testid="consent-token-endpoint">{plan.tokenEndpointOrigin}</code>{' '}
                  <span className="chip chip-third-party">not the authorization server's origin</span>
                  <p className="hint">The authorization code{plan.registration === 'pre-registered' ? ' and the client secret' : ''} will be sent here.</p>
                </dd>
              </>
            )}
            {plan.identityProvider && (
              <>
                <dt>Identity provider</dt>
                <dd>
                  <code data-testid="consent-idp">{plan.identityProvider}</code>
                  <p className="hint">
                    You sign in here in your browser. It then exchanges your sign-in for an identity assertion for this server (token exchange), which the
                    authorization server above trades for an access token (JWT bearer grant).
                  </p>
                </dd>
              </>
            )}
            {plan.assertionSource && (
              <>
                <dt>Workload token</dt>
                <dd>
                  <span data-testid="consent-assertion-source">{plan.assertionSource}</span>
                  <p className="hint">Presented to the authorization server as a JWT bearer assertion; read again whenever a new access token is needed.</p>
                </dd>
              </>
            )}
            <dt>Client registration</dt>
            <dd>{REGISTRATION[plan.registration] ?? plan.registration}</dd>
            <dt>Scopes</dt>
            <dd>
              {plan.scopes.length ? (
                <ul className="caps" aria-label="Requested scopes">
                  {plan.scopes.map((s) => (
                    <li key={s} className={plan.stepUp && plan.addedScopes.includes(s) ? 'added' : undefined}>
                      {s}
                      {plan.stepUp && plan.addedScopes.includes(s) ? ' (new)' : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                <em>none</em>
              )}
              <p className="hint">{SCOPE_SOURCE[plan.scopeSource]}</p>
            </dd>
            {plan.stepUp && (
              <>
                <dt>Added by this request</dt>
                <dd data-testid="consent-added">{plan.addedScopes.length ? plan.addedScopes.join(' ') : 'nothing new'}</dd>
              </>
            )}
            <dt>Token binding</dt>
            <dd data-testid="consent-dpop">
              {plan.dpopAlg
                ? `Proof of possession (DPoP, ${plan.dpopAlg}): the token is bound to a key kept on this computer, so a copied token is useless elsewhere.`
                : 'Bearer token: whoever holds it can use it (this authorization server does not offer DPoP).'}
            </dd>
            <dt>Revocation</dt>
            <dd>
              {plan.revocationSupported
                ? 'You can revoke this grant from Switchboard.'
                : 'This authorization server offers no revocation; signing out only deletes the tokens on this computer.'}
            </dd>
          </dl>
          {plan.registration === 'manual-required' ? (
            <ErrorNote message="Edit the server and enter a client ID registered with this authorization server, then sign in again." />
          ) : plan.grantType === 'jwt-bearer' && plan.identityProvider ? (
            <p className="note" role={signIn.phase === 'waiting' ? 'status' : undefined}>
              {signIn.phase === 'waiting'
                ? 'Waiting for you to finish signing in to your identity provider in your browser… You can cancel at any time.'
                : `Continuing opens your browser at ${plan.identityProvider}. Switchboard receives the result on this computer only.`}
            </p>
          ) : plan.grantType !== 'authorization_code' ? (
            <p className="note" role={signIn.phase === 'waiting' ? 'status' : undefined}>
              {signIn.phase === 'waiting'
                ? 'Signing in…'
                : plan.grantType === 'workload-identity'
                  ? "Switchboard signs in with the workload's token: no browser opens."
                  : 'Switchboard signs in as the configured client: no browser opens.'}
            </p>
          ) : signIn.phase === 'waiting' ? (
            <p role="status" className="note">
              Waiting for you to finish in your browser… You can cancel at any time.
            </p>
          ) : (
            <p className="note">Continuing opens your browser at the authorization server. Switchboard receives the result on this computer only.</p>
          )}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={cancelSignIn}>
          Cancel
        </button>
        {plan && plan.registration !== 'manual-required' && signIn.phase !== 'error' && (
          <button type="button" className="primary" disabled={signIn.phase === 'waiting'} onClick={continueSignIn}>
            {plan.grantType === 'authorization_code' || (plan.grantType === 'jwt-bearer' && plan.identityProvider) ? 'Continue in browser' : 'Sign in'}
          </button>
        )}
      </div>
    </Dialog>
  );
}
