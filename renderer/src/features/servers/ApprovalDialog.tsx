import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useServers, type ApprovalRequest } from './store';

// The launch approval: the exact, untruncated command the user is about to run.
// Approval is bound to the hash of this spec; any change asks again.

export function ApprovalDialog({ request }: { request: ApprovalRequest }) {
  const { approve, dismissApproval } = useServers();
  const [error, setError] = useState<string>();
  const { spec } = request.trust;
  return (
    <Dialog title={`Allow ${request.serverName} to run?`} onClose={dismissApproval} wide>
      <p>
        {request.trust.changedSinceApproval ? <strong>The launch command changed since you last approved it. </strong> : null}
        Switchboard will run this program on your computer with your permissions. Only continue if you trust it.
      </p>
      <dl className="spec" aria-label="Launch command">
        <dt>Command</dt>
        <dd>
          <code data-testid="spec-command">{spec.command}</code>
          {spec.resolvedCommand && spec.resolvedCommand !== spec.command && <span className="hint"> → {spec.resolvedCommand}</span>}
          {!spec.resolvedCommand && <span className="field-error"> (not found on PATH)</span>}
        </dd>
        <dt>Arguments</dt>
        <dd>
          {spec.args.length ? (
            <ol className="args" data-testid="spec-args">
              {spec.args.map((arg, i) => (
                <li key={i}>
                  <code>{arg}</code>
                </li>
              ))}
            </ol>
          ) : (
            <em>none</em>
          )}
        </dd>
        <dt>Working directory</dt>
        <dd>{spec.cwd ? <code>{spec.cwd}</code> : <em>default</em>}</dd>
        <dt>Environment variables</dt>
        <dd>{spec.envNames.length ? spec.envNames.map((n) => <code key={n}>{n} </code>) : <em>none</em>}</dd>
      </dl>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={dismissApproval}>
          Cancel
        </button>
        <button type="button" className="primary danger" onClick={() => approve(request).catch((e: Error) => setError(e.message))}>
          Allow and start
        </button>
      </div>
    </Dialog>
  );
}
