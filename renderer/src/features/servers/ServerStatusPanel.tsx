import { useEffect, useState } from 'react';
import type { ServerView } from '../../api';
import { joinCommandLine } from './command-line';
import { useServers } from './store';

// What a server's state means and what to do next: a neutral progress row
// while it starts (never an alert), and a card with next steps when it failed.

const NEXT_STEP: Record<NonNullable<ServerView['status']['failure']>, string> = {
  'stdout-before-initialize':
    'Make the server write its logs to stderr (console.error in Node, print(…, file=sys.stderr) in Python), or check whether it needs a flag such as "stdio" to speak MCP on stdout.',
  'timed-out':
    'A first run of npx or uvx may still be downloading: try Connect again. Otherwise open the log to see where it stopped, and check the command and its arguments.',
  'exited-before-initialize':
    'Open the log for its last words, then check the command, its arguments and environment variables (a missing API key or a wrong path is the usual cause).',
};

function useElapsedSeconds(since: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return Math.max(0, Math.floor((now - since) / 1000));
}

export function StartingRow({ server }: { server: ServerView }) {
  const { disconnect } = useServers();
  const elapsed = useElapsedSeconds(server.status.since);
  const { reason, timeoutSec } = server.status;
  const verb = server.config.transport === 'http' ? 'Connecting' : reason?.startsWith('Restarting') ? reason : 'Starting';
  return (
    <div className="starting-row">
      <span className="spinner" aria-hidden="true" />
      {/* The ticking seconds are hidden from assistive tech: a live region must not announce every second. */}
      <span role="status" aria-label={`${verb}${timeoutSec ? `, gives up at ${timeoutSec} s` : ''}`}>
        {verb}… <span aria-hidden="true">{elapsed} s</span>
        {timeoutSec ? <span className="hint"> (gives up at {timeoutSec} s)</span> : null}
      </span>
      <button type="button" onClick={() => void disconnect(server.id)}>
        Cancel
      </button>
    </div>
  );
}

export function FailureCard({ server, message, onEdit }: { server: ServerView; message: string; onEdit: () => void }) {
  const { openTab } = useServers();
  const [copied, setCopied] = useState<string>();
  const { config, status } = server;
  const next = status.failure
    ? NEXT_STEP[status.failure]
    : status.state === 'crashed' && status.restart?.gaveUp
      ? 'It kept exiting after it started: open the log for its last words, fix what it says, then Connect to try again.'
      : undefined;
  const copyText = config.transport === 'stdio' ? joinCommandLine(config.command, config.args) : config.url;
  const copy = () =>
    navigator.clipboard.writeText(copyText).then(
      () => setCopied('Copied.'),
      () => setCopied('Could not reach the clipboard.'),
    );
  return (
    <section className="failure-card" aria-label="What went wrong">
      <p className="failure-message" role="alert">
        {message}
      </p>
      {next && <p className="next-step">{next}</p>}
      <div className="actions">
        <button type="button" onClick={() => openTab(server.id, 'log')}>
          Open log
        </button>
        <button type="button" onClick={() => void copy()}>
          {config.transport === 'stdio' ? 'Copy command' : 'Copy URL'}
        </button>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        {copied && (
          <span className="hint" aria-live="polite">
            {copied}
          </span>
        )}
      </div>
    </section>
  );
}
