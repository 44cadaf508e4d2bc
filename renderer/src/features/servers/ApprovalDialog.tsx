import { useState } from 'react';
import type { LaunchChange } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useServers, type ApprovalRequest } from './store';
import { relativePathArgs } from './command-line';

// The launch approval: the exact, untruncated command the user is about to run,
// with every environment value that is not secret. When an earlier approval
// exists, exactly what changed since is highlighted (the core computes the
// changes from the approval it keeps in the vault), so a re-approval is never blind.

function Was({ change }: { change: LaunchChange | undefined }) {
  if (!change) return null;
  return <span className="was"> was {change.before === null ? <em>absent</em> : <code>{change.before}</code>}</span>;
}

export function ApprovalDialog({ request }: { request: ApprovalRequest }) {
  const { approve, dismissApproval } = useServers();
  const [error, setError] = useState<string>();
  const { spec, changes, changedSinceApproval, note, sessionOnly } = request.trust;
  const change = (field: LaunchChange['field'], key?: number | string) =>
    changes.find((c) => c.field === field && (key === undefined || c.index === key || c.name === key));
  const removedArgs = changes.filter((c) => c.field === 'args' && c.after === null);
  const removedEnv = changes.filter((c) => c.field === 'env' && c.after === null);
  const cls = (c: LaunchChange | undefined) => (c ? 'changed' : undefined);
  const folder = spec.workingDirectory ?? spec.cwd;
  const relative = relativePathArgs(spec.args);
  return (
    <Dialog title={`Allow ${request.serverName} to run?`} onClose={dismissApproval} wide>
      {request.fromAdd && <p className="hint">Last step of adding {request.serverName}: review what it runs. It connects as soon as you allow it.</p>}
      <p>
        {changedSinceApproval ? <strong>The launch command changed since you last approved it. Changes are highlighted. </strong> : null}
        Switchboard will run this program on your computer with your permissions. Only continue if you trust it.
      </p>
      {note && (
        <p className="hint" data-testid="approval-note">
          {note}
        </p>
      )}
      {sessionOnly && <p className="hint">No secure storage is available, so this approval lasts until Switchboard quits.</p>}
      <dl className="spec" aria-label="Launch command">
        <dt>Command</dt>
        <dd className={cls(change('command'))}>
          <code data-testid="spec-command">{spec.command}</code>
          {spec.resolvedCommand && spec.resolvedCommand !== spec.command && <span className="hint"> → {spec.resolvedCommand}</span>}
          {!spec.resolvedCommand && (
            <span className="field-error">{/[\\/]/.test(spec.command) ? ` (not found in ${folder ?? 'the working directory'})` : ' (not found on PATH)'}</span>
          )}
          <Was change={change('command')} />
        </dd>
        <dt>Arguments</dt>
        <dd>
          {spec.args.length ? (
            <ol className="args" data-testid="spec-args">
              {spec.args.map((arg, i) => (
                <li key={i} className={cls(change('args', i))}>
                  <code>{arg}</code>
                  <Was change={change('args', i)} />
                </li>
              ))}
            </ol>
          ) : (
            <em>none</em>
          )}
          {removedArgs.length > 0 && (
            <p className="changed">
              Removed:{' '}
              {removedArgs.map((c) => (
                <code key={c.index}>{c.before} </code>
              ))}
            </p>
          )}
        </dd>
        <dt>Working directory</dt>
        <dd className={cls(change('cwd'))}>
          {spec.cwd ? (
            <code>{spec.cwd}</code>
          ) : folder ? (
            <>
              <code data-testid="spec-cwd">{folder}</code> <span className="hint">(your home folder: none is set)</span>
            </>
          ) : (
            <em>your home folder</em>
          )}
          <Was change={change('cwd')} />
          {relative.length > 0 && (
            <p className="note" data-testid="relative-args">
              {relative.length === 1 ? 'Argument' : 'Arguments'} {relative.map((i) => i + 1).join(', ')}{' '}
              {relative.length === 1 ? 'is a relative path' : 'are relative paths'} and will be looked for in{' '}
              {folder ? <code>{folder}</code> : 'the working directory'}.
            </p>
          )}
        </dd>
        <dt>Environment variables</dt>
        <dd>
          {spec.env.length ? (
            <ul className="env" data-testid="spec-env">
              {spec.env.map((e) => (
                <li key={e.name} className={cls(change('env', e.name))} data-testid={`spec-env-${e.name}`}>
                  <code>{e.name}</code> = {e.value === null ? <em>secret (stored in the vault)</em> : <code>{e.value}</code>}
                  <Was change={change('env', e.name)} />
                </li>
              ))}
            </ul>
          ) : (
            <em>none</em>
          )}
          {removedEnv.length > 0 && (
            <p className="changed">
              Removed:{' '}
              {removedEnv.map((c) => (
                <code key={c.name}>{c.name} </code>
              ))}
            </p>
          )}
        </dd>
      </dl>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={dismissApproval} title={request.fromAdd ? 'The server stays in your list, stopped.' : undefined}>
          Cancel
        </button>
        <button type="button" className="primary danger" onClick={() => approve(request).catch((e: Error) => setError(e.message))}>
          Allow and start
        </button>
      </div>
    </Dialog>
  );
}
