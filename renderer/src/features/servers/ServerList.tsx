import { StatusBadge } from '../../components/StatusBadge';
import { ClientConfigsButtons } from '../client-configs';
import { RegistryButton } from '../registry';
import { useServers } from './store';

export function ServerList({ onAdd }: { onAdd: () => void }) {
  const { servers, order, selectedId, select } = useServers();
  return (
    <nav className="server-list" aria-label="Servers">
      <div className="list-header">
        <h1>Servers</h1>
        <button type="button" className="primary" onClick={onAdd}>
          Add server
        </button>
        <RegistryButton />
        <ClientConfigsButtons />
      </div>
      {order.length === 0 ? (
        <p className="empty">No servers yet. Add a local command or a remote URL to get started.</p>
      ) : (
        <ul>
          {order.map((id) => {
            const server = servers[id];
            if (!server) return null;
            return (
              <li key={id}>
                <button
                  type="button"
                  className={id === selectedId ? 'server-item selected' : 'server-item'}
                  aria-current={id === selectedId ? 'true' : undefined}
                  onClick={() => select(id)}
                >
                  <span className="server-name">{server.name}</span>
                  <span className="server-kind">{server.config.transport === 'stdio' ? 'local' : 'remote'}</span>
                  <StatusBadge status={server.status} live={false} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
