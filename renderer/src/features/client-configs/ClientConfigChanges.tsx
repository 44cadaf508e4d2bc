import { useEffect, useState } from 'react';
import { api, errorMessage, type ClientConfigChange } from '../../api';
import { CLIENT_LABEL } from './labels';
import { ImportDialog } from './ImportDialog';

// Another client's config changed behind the user's back (a new server, a
// changed command or URL): say what changed, in words, and let the user import
// the change or ignore it. The core sends names and commands, never values.

export function ClientConfigChanges() {
  const [pending, setPending] = useState<ClientConfigChange[]>([]);
  const [reviewing, setReviewing] = useState<ClientConfigChange>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const off = api.onClientConfigChanged((change) =>
      setPending((list) => [...list.filter((c) => c.path !== change.path), ...(change.changes.length ? [change] : [])]),
    );
    api.listClientConfigChanges({}).then(
      ({ changes }) => live && setPending(changes),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, []);

  async function acknowledge(path: string) {
    setError(undefined);
    try {
      setPending((await api.acknowledgeClientConfigChange({ path })).changes);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (pending.length === 0 && !reviewing && !error) return null;
  return (
    <>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {pending.map((change) => {
        const label = CLIENT_LABEL[change.client];
        return (
          <section key={change.path} className="banner warning" aria-label={`${label} config changed`}>
            <p>{label}’s config changed since Switchboard last looked:</p>
            <ul>
              {change.changes.map((c) => (
                <li key={`${c.kind}:${c.server}`}>{c.text}</li>
              ))}
            </ul>
            <p className="hint">
              <code>{change.path}</code>
            </p>
            <div className="toolbar">
              <button type="button" onClick={() => setReviewing(change)}>
                Review and import
              </button>
              <button type="button" onClick={() => void acknowledge(change.path)}>
                Ignore
              </button>
            </div>
          </section>
        );
      })}
      {reviewing && (
        <ImportDialog
          focus={{ path: reviewing.path, servers: reviewing.changes.filter((c) => c.kind !== 'removed').map((c) => c.server) }}
          onImported={() => void acknowledge(reviewing.path)}
          onClose={() => setReviewing(undefined)}
        />
      )}
    </>
  );
}
