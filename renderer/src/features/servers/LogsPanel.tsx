import { useState } from 'react';
import type { ServerView } from '../../api';
import { ServerNotifications } from '../client-features';
import { LogConsole } from './LogConsole';
import { useServers } from './store';

// One Logs tab with a source switch: what the process wrote to stderr (and
// Switchboard's notes on starts, stops and crashes), or what the server sent
// over MCP (log messages and notifications, with the log level to ask for).

type Source = 'process' | 'server';

export function LogsPanel({ server }: { server: ServerView }) {
  const [source, setSource] = useState<Source>('process');
  const lines = useServers((s) => s.logs[server.id]);
  return (
    <div className="inspect-logs">
      <div className="segmented" role="radiogroup" aria-label="Log source">
        <label className={source === 'process' ? 'active' : ''}>
          <input type="radio" name={`log-source-${server.id}`} checked={source === 'process'} onChange={() => setSource('process')} /> Process output (stderr)
        </label>
        <label className={source === 'server' ? 'active' : ''}>
          <input type="radio" name={`log-source-${server.id}`} checked={source === 'server'} onChange={() => setSource('server')} /> Server notifications
        </label>
      </div>
      {source === 'process' ? <LogConsole lines={lines ?? []} /> : <ServerNotifications key={server.id} server={server} />}
    </div>
  );
}
