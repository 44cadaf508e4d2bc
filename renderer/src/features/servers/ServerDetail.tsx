import { useEffect, useState } from 'react';
import { Confirm } from '../../components/Confirm';
import { ErrorNote } from '../../components/ErrorNote';
import { useTabsNavigation } from '../../components/useListNavigation';
import { StatusBadge } from '../../components/StatusBadge';
import type { ServerView } from '../../api';
import { ServerDialog } from './ServerDialog';
import { focusServerItem } from './ServerList';
import { FailureCard, StartingRow } from './ServerStatusPanel';
import { useRemoval } from './removal';
import { useServers } from './store';
import { SignInButton } from '../auth';
import { serverTabs } from './tabs';
import { ExportButton } from '../client-configs';

function describeStatus(server: ServerView): string | undefined {
  const { status } = server;
  if (status.state === 'crashed' && status.restart && !status.restart.gaveUp)
    return `${status.reason ?? 'Crashed.'} (restart ${status.restart.attempt} of ${status.restart.max})`;
  if (status.state === 'connected' && status.restart?.attempt) return `Restarted after a crash (restart ${status.restart.attempt} of ${status.restart.max}).`;
  return status.reason;
}

export function ServerDetail({ server }: { server: ServerView }) {
  const { connect, disconnect, tools, actionErrors, setTab, tabRequest, tabShown } = useServers();
  const tab = useServers((s) => s.tabs[server.id]) ?? 'overview';
  // A flow asked for a tab: Tools once a newly added server is connected, Log from an error card.
  useEffect(() => {
    if (tabRequest?.serverId !== server.id) return;
    setTab(server.id, tabRequest.tab);
    tabShown(tabRequest.key);
  }, [tabRequest, server.id, tabShown, setTab]);
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const running = server.status.state === 'connected' || server.status.state === 'starting';
  const tabs = serverTabs.filter((t) => !t.visible || t.visible(server));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;
  const toolCount = tools[server.id]?.length ?? 0;
  const statusText = describeStatus(server);
  const tabNav = useTabsNavigation({
    count: tabs.length,
    selectedIndex: tabs.indexOf(current),
    onSelect: (i) => setTab(server.id, tabs[i]!.id),
  });
  const removeServer = async () => {
    // The server leaves the list at once (undoable for a few seconds); the selection and
    // focus go to the next server in the list (or the one before), never to <body>.
    await useRemoval.getState().start(server.id);
    const next = useServers.getState().selectedId;
    if (next) useServers.getState().select(next);
    focusServerItem(next);
  };

  return (
    <section className="detail" aria-label={`Server ${server.name}`}>
      <header className="detail-header">
        <div>
          <h2>{server.name}</h2>
          <p className="subtitle">{server.config.transport === 'stdio' ? [server.config.command, ...server.config.args].join(' ') : server.config.url}</p>
        </div>
        <div className="actions">
          <StatusBadge status={server.status} />
          {server.status.authRequired && !running ? (
            <SignInButton server={server} />
          ) : server.status.state === 'starting' ? null : running || server.status.state === 'crashed' ? (
            <button type="button" onClick={() => disconnect(server.id)}>
              Disconnect
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => connect(server.id)}>
              Connect
            </button>
          )}
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <ExportButton serverId={server.id} serverName={server.name} />
          <button type="button" className="danger" onClick={() => setConfirmRemove(true)}>
            Remove
          </button>
        </div>
      </header>
      {server.status.state === 'starting' ? (
        <StartingRow server={server} />
      ) : statusText && server.status.state !== 'connected' && !server.status.authRequired ? (
        <FailureCard server={server} message={statusText} onEdit={() => setEditing(true)} />
      ) : statusText ? (
        <p className="note notice" role="status">
          {statusText}
        </p>
      ) : null}
      <ErrorNote message={actionErrors[server.id]} />
      {server.status.protocolError && server.status.failure !== 'stdout-before-initialize' && (
        <ErrorNote title="Protocol error:" message={`the server wrote something that is not JSON-RPC to stdout: ${server.status.protocolError}`} />
      )}
      {server.status.lastStderr && server.status.lastStderr.length > 0 && server.status.state !== 'connected' && (
        <details className="last-stderr" open>
          <summary>Last stderr lines</summary>
          <pre>{server.status.lastStderr.join('\n')}</pre>
        </details>
      )}
      {confirmRemove && (
        <Confirm label="Confirm removal" confirmLabel="Remove server" onKeep={() => setConfirmRemove(false)} onConfirm={() => void removeServer()}>
          Remove {server.name}? Its stored secrets are deleted too (you can undo this for a few seconds).
        </Confirm>
      )}
      <div {...tabNav.tabListProps} aria-label="Server views" className="tabs">
        {tabs.map((t, i) => (
          <button key={t.id} type="button" id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} {...tabNav.tabProps(i)}>
            {typeof t.label === 'string' ? t.label : t.label(server, toolCount)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="tab-panel">
        <current.Panel server={server} />
      </div>
      {editing && <ServerDialog existing={server} onClose={() => setEditing(false)} />}
    </section>
  );
}
