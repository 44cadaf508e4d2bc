import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage } from '../../api';
import { useTools } from './store';

// Tool definitions that changed since the snapshot the user acknowledged: a
// server that quietly rewrites a description or a schema is worth a look.

export function ToolDiffBanner({ serverId }: { serverId: string }) {
  const diff = useTools((s) => s.diffs[serverId]);
  const loadDiff = useTools((s) => s.loadDiff);
  const [error, setError] = useState<string>();
  useEffect(() => {
    void loadDiff(serverId);
  }, [serverId, loadDiff]);
  if (!diff || diff.changes.length === 0) return null;
  return (
    <section className="tool-diff" role="region" aria-label="Tool changes">
      <h3>Tools changed since {new Date(diff.snapshotAt).toLocaleString()}</h3>
      <ul>
        {diff.changes.map((c) => (
          <li key={c.name} className={`diff-${c.kind}`}>
            <strong>{c.kind}</strong> <code>{c.name}</code>
            {c.kind === 'changed' && <span className="hint"> ({c.fields.join(', ')})</span>}
            {c.kind === 'changed' && c.fields.includes('description') && (
              <div className="diff-text">
                <del aria-label="Before">{c.before?.description ?? ''}</del>
                <ins aria-label="After">{c.after?.description ?? ''}</ins>
              </div>
            )}
            {c.kind === 'changed' && c.fields.some((f) => f !== 'description') && (
              <details>
                <summary>Before and after</summary>
                <div className="diff-json">
                  <pre aria-label="Before">{JSON.stringify(c.before, null, 2)}</pre>
                  <pre aria-label="After">{JSON.stringify(c.after, null, 2)}</pre>
                </div>
              </details>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={() =>
          api.acknowledgeToolChanges({ serverId }).then(
            () => setError(undefined),
            (e) => setError(errorMessage(e)),
          )
        }
      >
        Acknowledge changes
      </button>
      <ErrorNote message={error} />
    </section>
  );
}
