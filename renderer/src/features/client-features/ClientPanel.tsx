import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, IpcError, type LogLevel, type ServerView } from '../../api';
import { useClientFeatures } from './store';

const LEVELS: LogLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

// What this client offers the server: roots (folders it may look at, the Roots
// tab) and logging; plus the notifications the server sent (a source of the Logs tab).

export function RootsPanel({ server }: { server: ServerView }) {
  return (
    <div className="inspect-client">
      <RootsEditor serverId={server.id} />
    </div>
  );
}

function RootsEditor({ serverId }: { serverId: string }) {
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  useEffect(() => {
    api.getRoots({ serverId }).then(
      ({ paths }) => {
        setSaved(paths);
        setText(paths.join('\n'));
      },
      (e) => setError(errorMessage(e)),
    );
  }, [serverId]);
  const lines = text.split('\n');
  const [canPick, setCanPick] = useState(true);
  return (
    <section aria-label="Roots" className="roots">
      <h3>Roots</h3>
      <p className="hint">Folders this server may work in. One absolute path per line; each must be an existing folder.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setErrors({});
          setError(undefined);
          setStatus(undefined);
          try {
            const { paths } = await api.setRoots({ serverId, paths: lines });
            setSaved(paths);
            setText(paths.join('\n'));
            setStatus('Roots saved; the server was notified.');
          } catch (err) {
            if (err instanceof IpcError && err.code === 'VALIDATION' && err.details && typeof err.details === 'object')
              setErrors(err.details as Record<string, string>);
            setError(errorMessage(err));
          }
        }}
      >
        <div className="field">
          <label htmlFor={`roots-${serverId}`}>Root folders</label>
          <textarea
            id={`roots-${serverId}`}
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            aria-invalid={Object.keys(errors).length > 0 || undefined}
          />
          {Object.entries(errors).map(([key, message]) => {
            const index = Number(key.split('.')[1]);
            return (
              <p key={key} className="field-error">
                Line {index + 1} ({lines[index] ?? ''}): {message}
              </p>
            );
          })}
        </div>
        <div className="actions">
          {canPick && (
            <button
              type="button"
              onClick={async () => {
                const { supported, path } = await api.chooseFolder({ title: 'Choose a folder for this server' });
                if (!supported) setCanPick(false);
                if (path) setText((current) => (current.trim() ? `${current.replace(/\n+$/, '')}\n${path}` : path));
              }}
            >
              Choose folder…
            </button>
          )}
          <button type="submit">Save roots</button>
        </div>
      </form>
      <ErrorNote message={Object.keys(errors).length ? undefined : error} />
      {status && (
        <p role="status" className="ok-note">
          {status}
        </p>
      )}
      {saved.length > 0 && (
        <ul className="plain" aria-label="Current roots">
          {saved.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The server's log messages and notifications, with the log level to ask for. */
export function ServerNotifications({ server }: { server: ServerView }) {
  const serverId = server.id;
  const messages = useClientFeatures((s) => s.messages[serverId]) ?? [];
  const loadMessages = useClientFeatures((s) => s.loadMessages);
  const [level, setLevel] = useState<LogLevel>('info');
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    void loadMessages(serverId);
    api.getServerMessages({ serverId }).then(
      (r) => r.level && setLevel(r.level),
      () => undefined,
    );
  }, [serverId, loadMessages]);
  const connected = server.status.state === 'connected';
  const shown = filter ? messages.filter((m) => `${m.level ?? ''} ${m.logger ?? ''} ${m.text}`.toLowerCase().includes(filter.toLowerCase())) : messages;
  return (
    <section aria-label="Server messages" className="server-messages">
      <div className="toolbar">
        <label className="inline">
          Log level
          <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel)}>
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!connected || !server.info?.capabilities.logging}
          onClick={() =>
            api.setLogLevel({ serverId, level }).then(
              () => setError(undefined),
              (e) => setError(errorMessage(e)),
            )
          }
        >
          Set log level
        </button>
        {connected && !server.info?.capabilities.logging && <span className="hint">This server does not support logging.</span>}
        <input type="search" aria-label="Filter messages" placeholder="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <ErrorNote message={error} />
      <div role="log" aria-label="Notifications from the server">
        <ol className="messages">
          {shown.slice(-500).map((m) => (
            <li key={m.seq} className={`msg msg-${m.kind} level-${m.level ?? 'none'}`}>
              <span className="log-time">{new Date(m.ts).toLocaleTimeString()}</span>{' '}
              <span className="chip">{m.kind === 'log' ? (m.level ?? 'log') : m.kind}</span>
              {m.logger && <span className="hint"> [{m.logger}]</span>} <span className="msg-text">{m.text}</span>
            </li>
          ))}
          {shown.length === 0 && (
            <li className="hint">
              {messages.length > 0
                ? 'No message matches the filter.'
                : 'No notifications yet. Set a log level above, or run a tool that logs or reports progress.'}
            </li>
          )}
        </ol>
      </div>
    </section>
  );
}
