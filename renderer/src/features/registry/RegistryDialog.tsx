import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage, type RegistryEntry } from '../../api';
import { Dialog } from '../../components/Dialog';
import { InstallForm } from './InstallForm';
import { RegistrySettingsForm } from './RegistrySettingsForm';

// Browse: a search box, one page of active entries at a time (Load more follows
// the registry's cursor), then the chosen entry's install form.

export function RegistryDialog({ onClose, settings }: { onClose: () => void; settings?: boolean }) {
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<RegistryEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string>();
  const [chosen, setChosen] = useState<RegistryEntry>();

  const search = useCallback(async (text: string, cursor?: string) => {
    setSearching(true);
    setError(undefined);
    try {
      const page = await api.searchRegistry({ search: text || undefined, cursor });
      setEntries((old) => (cursor ? [...old, ...page.entries] : page.entries));
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
      if (!cursor) setEntries([]);
    } finally {
      setSearching(false);
    }
  }, []);

  useEffect(() => void search(''), [search]);

  if (chosen) return <InstallForm entry={chosen} onBack={() => setChosen(undefined)} onClose={onClose} />;

  return (
    <Dialog title="Browse the MCP Registry" onClose={onClose} wide>
      <RegistrySettingsForm open={settings} onSaved={() => void search(query)} />
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search(query);
        }}
      >
        <div className="field">
          <label htmlFor="registry-search">Search the registry</label>
          <input id="registry-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-autofocus={settings ? undefined : true} />
        </div>
        <button type="submit" disabled={searching}>
          Search
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {searching && <p role="status">Searching…</p>}
      {!searching && !error && entries.length === 0 && <p className="empty">No servers found.</p>}
      {entries.length > 0 && (
        <ul className="registry-results plain" aria-label="Registry results">
          {entries.map((entry) => (
            <li key={`${entry.name}@${entry.version}`}>
              <button type="button" className="server-item" onClick={() => setChosen(entry)} aria-label={`${entry.title ?? entry.name} ${entry.version}`}>
                <span className="server-name">{entry.title ?? entry.name}</span> <span className="hint">{entry.version}</span>
                <span className="hint"> {entry.name}</span>
                <span className="hint"> — {entry.description}</span>
                <span className="hint">
                  {' '}
                  ({[...entry.packages.map((p) => p.registryType), ...entry.remotes.map(() => 'remote')].join(', ') || 'nothing to install'})
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <button type="button" disabled={searching} onClick={() => void search(query, nextCursor)}>
          Load more
        </button>
      )}
    </Dialog>
  );
}
