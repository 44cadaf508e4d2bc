import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, IpcError, type ClientRequestView, type UrlElicitationView } from '../../api';
import { useClientFeatures, type OpenedUrlElicitation } from './store';

// URL-mode elicitation: a server asks the user to visit a web page (a
// third-party sign-in, a payment). Nothing opens until the user chooses
// "Open in browser": the origin comes first and large (in punycode for IDN
// hosts, the Unicode form beside it), then the server's reason, then the full
// URL. The core has already made control and bidi characters in the text
// visible; the URL and origin are isolated left-to-right all the same.

export function UrlElicitation({ request, url }: { request: ClientRequestView; url: UrlElicitationView }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const remove = useClientFeatures((s) => s.removeRequest);
  const trackOpened = useClientFeatures((s) => s.trackOpened);
  const answer = async (action: 'accept' | 'decline' | 'cancel') => {
    setBusy(true);
    try {
      await api.answerElicitation({ requestId: request.requestId, action });
      remove(request.requestId);
      // 2025-11-25 servers confirm the out-of-band step; keep showing it until they do (or the user closes it).
      if (action === 'accept' && url.elicitationId !== undefined) trackOpened(request);
    } catch (e) {
      if (e instanceof IpcError && e.code === 'NOT_FOUND') remove(request.requestId);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`${request.serverName} asks you to open a web page`}
      onClose={() => void answer('cancel')}
      wide
      footer={
        <div className="dialog-actions">
          <button type="button" onClick={() => void answer('cancel')} disabled={busy}>
            Cancel
          </button>
          <button type="button" onClick={() => void answer('decline')} disabled={busy}>
            Decline
          </button>
          {!url.refused && (
            <button type="button" className="primary" onClick={() => void answer('accept')} disabled={busy}>
              Open in browser
            </button>
          )}
        </div>
      }
    >
      {url.origin && (
        <p className="url-origin" aria-label="Site">
          <span className="hint">Site</span>{' '}
          <strong dir="ltr" data-testid="url-origin">
            {url.origin}
          </strong>
        </p>
      )}
      {url.unicodeHost && (
        <p className="note" role="note">
          This is an internationalized address; it may be displayed as <bdi dir="ltr">{url.unicodeHost}</bdi>. Check that it is the site you expect.
        </p>
      )}
      {request.clientName && <p className="hint">Asked during a call by {request.clientName} through the gateway.</p>}
      <p className="hint">Why {request.serverName} asks:</p>
      <p className="elicit-message" data-testid="url-message">
        <bdi>{request.message || '(no reason given)'}</bdi>
      </p>
      <p className="hint">Full address:</p>
      <code className="url-full" dir="ltr" data-testid="url-full">
        {url.url}
      </code>
      {url.refused ? (
        <div className="error-note" role="alert">
          <strong>Switchboard will not open this address.</strong> {url.refused}
        </div>
      ) : (
        <p className="hint">
          Nothing has been opened. Open it only if you trust this site; what you do there stays between you and the site
          {url.source === 'error' ? ', and afterwards retry the call' : ''}.
        </p>
      )}
      <ErrorNote message={error} />
    </Dialog>
  );
}

/** An opened URL elicitation on a 2025-11-25 server: waiting for notifications/elicitation/complete. */
export function OpenedUrlDialog({ opened }: { opened: OpenedUrlElicitation }) {
  const close = useClientFeatures((s) => s.closeOpened);
  const { request, completed } = opened;
  const retry = request.urlElicitation?.source === 'error';
  return (
    <Dialog
      title={`${request.serverName}: page opened in your browser`}
      onClose={() => close(request.requestId)}
      footer={
        <div className="dialog-actions">
          <button type="button" className={completed ? 'primary' : undefined} onClick={() => close(request.requestId)}>
            Done
          </button>
        </div>
      }
    >
      <p className="url-origin">
        <strong dir="ltr">{request.urlElicitation?.origin}</strong>
      </p>
      {completed ? (
        <p className="ok-note" role="status" data-testid="url-elicitation-state">
          Completed: {request.serverName} confirmed the step in the browser is done.{retry ? ' Retry the call now.' : ''}
        </p>
      ) : (
        <p className="hint" role="status" data-testid="url-elicitation-state">
          Waiting for {request.serverName} to confirm you finished in the browser. You can close this; it does not cancel anything.
        </p>
      )}
    </Dialog>
  );
}
