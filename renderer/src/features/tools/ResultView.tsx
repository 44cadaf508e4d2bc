import { prettyJson } from '../../components/download';
import type { CallToolResponse } from '../../api';
import { ContentBlocks } from '../../components/ContentBlocks';
import { useAuth } from '../auth';

const LABEL: Record<CallToolResponse['status'], string> = {
  ok: 'Succeeded',
  'tool-error': 'Tool reported an error',
  error: 'Protocol error',
  cancelled: 'Cancelled',
  timeout: 'Timed out',
  task: 'Running as a task',
};

/** ProtocolErrorCode.UrlElicitationRequired: the server needs the user to visit a page first. */
const URL_ELICITATION_REQUIRED = -32042;

export function ResultView({ response, serverId, onRetry }: { response: CallToolResponse; serverId?: string; onRetry?: () => void }) {
  const result = response.result;
  const startSignIn = useAuth((s) => s.startSignIn);
  const authCode = response.error?.code === 'STEP_UP_REQUIRED' || response.error?.code === 'AUTH_REQUIRED' ? response.error.code : undefined;
  return (
    <section className={`call-result status-${response.status}`} aria-label="Result">
      <p className="result-status">
        <strong data-testid="call-status">{LABEL[response.status]}</strong> <span className="hint">in {response.durationMs.toFixed(0)} ms</span>
      </p>
      {response.task && (
        <p className="note" data-testid="call-task">
          The server runs this call as task <code>{response.task.taskId}</code>. Follow it, cancel it and see its result in the Tasks tab.
        </p>
      )}
      {response.status === 'tool-error' && <p className="note">The tool ran and returned isError: true. Its content explains the problem.</p>}
      {response.error && (
        <div className="error-note" role="alert">
          {response.error.code !== undefined && <strong>{String(response.error.code)}: </strong>}
          {response.error.message}
          {authCode && serverId && (
            <>
              {' '}
              <button type="button" className="primary" onClick={() => startSignIn(serverId, authCode === 'STEP_UP_REQUIRED')}>
                {authCode === 'STEP_UP_REQUIRED' ? 'Grant more access' : 'Sign in'}
              </button>
            </>
          )}
          {response.error.code === URL_ELICITATION_REQUIRED && onRetry && (
            <p>
              The server needs you to open a page in your browser first (see the dialog). When you are done:{' '}
              <button type="button" className="primary" onClick={onRetry}>
                Retry the call
              </button>
            </p>
          )}
        </div>
      )}
      {response.inputUnchecked && <UncheckedNote title="Parts of the input schema were not checked before sending:" notes={response.inputUnchecked} />}
      {result && <ContentBlocks blocks={result.content} />}
      {result && result.structuredContent !== undefined && (
        <section aria-label="Structured content" className="structured">
          <h4>Structured content</h4>
          {response.structured?.hasSchema &&
            (response.structured.valid ? (
              <p className="ok-note" role="status">
                {response.structured.unchecked ? 'Matches the parts of the output schema that could be checked.' : 'Matches the output schema.'}
              </p>
            ) : (
              <div className="error-note" role="alert">
                <strong>Does not match the output schema:</strong>
                <ul>
                  {response.structured.errors.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </div>
            ))}
          {response.structured?.unchecked && <UncheckedNote title="Parts of the output schema were not checked:" notes={response.structured.unchecked} />}
          <pre className="block-json">{prettyJson(result.structuredContent)}</pre>
        </section>
      )}
      {result && result.structuredContent === undefined && response.structured && !response.structured.valid && (
        <div className="error-note" role="alert">
          {response.structured.errors.join(' ')}
        </div>
      )}
      {result && (
        <details>
          <summary>Raw result JSON</summary>
          <pre className="block-json">{prettyJson(result)}</pre>
        </details>
      )}
    </section>
  );
}

/** Schema parts the core skipped because they cannot be checked safely (e.g. a pattern RE2 cannot run). */
function UncheckedNote({ title, notes }: { title: string; notes: string[] }) {
  return (
    <div className="note notice" role="status" data-testid="schema-unchecked">
      <strong>{title}</strong>
      <ul>
        {notes.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
    </div>
  );
}
