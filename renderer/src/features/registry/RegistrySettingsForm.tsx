import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api';

/** The registry URL (a private one for enterprises); the core checks it with the one URL policy. */
export function RegistrySettingsForm({ onSaved, open }: { onSaved: () => void; open?: boolean }) {
  const [url, setUrl] = useState('');
  const [defaultUrl, setDefaultUrl] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.getRegistrySettings({}).then(
      (s) => {
        setUrl(s.url);
        setDefaultUrl(s.defaultUrl);
      },
      (e) => setError(errorMessage(e)),
    );
  }, []);
  return (
    <details className="registry-settings" open={open}>
      <summary>Registry: {url || '…'}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          api.setRegistrySettings({ url }).then(
            (s) => {
              setUrl(s.url);
              onSaved();
            },
            (err) => setError(errorMessage(err)),
          );
        }}
      >
        <div className="field">
          <label htmlFor="registry-url">Registry URL</label>
          <input
            id="registry-url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-describedby="registry-url-hint"
            aria-invalid={Boolean(error)}
            data-autofocus={open ? true : undefined}
          />
          <p className="hint" id="registry-url-hint">
            https, or http on this computer. Empty: the public registry ({defaultUrl}).
          </p>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <button type="submit">Save registry URL</button>
      </form>
    </details>
  );
}
