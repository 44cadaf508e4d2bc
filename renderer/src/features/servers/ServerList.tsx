import { StatusBadge } from '../../components/StatusBadge';
import { focusSoon } from '../../components/focus';
import { useNavigation } from '../../components/navigation';
import { useListNavigation } from '../../components/useListNavigation';
import { ClientConfigsButtons } from '../client-configs';
import { RegistryButton } from '../registry';
import { useServers } from './store';

// The server list is a listbox: one Tab stop, Up/Down (or J/K) and Home/End move
// and select, Enter goes to the selected server's tabs.

export const serverItemId = (id: string) => `server-item-${id}`;

/** Focuses a server in the list once it is rendered (after Add, Remove, the palette). */
export function focusServerItem(id: string | undefined): void {
  focusSoon(() => (id ? document.getElementById(serverItemId(id)) : document.querySelector<HTMLElement>('.welcome button')));
}

export function ServerList({ onAdd }: { onAdd: () => void }) {
  const { servers, order, selectedId, select } = useServers();
  const ids = order.filter((id) => servers[id]);
  const list = useListNavigation({
    count: ids.length,
    selectedIndex: selectedId ? ids.indexOf(selectedId) : -1,
    onSelect: (i) => {
      select(ids[i]);
      useNavigation.getState().showView('servers');
    },
    onOpen: () => focusSoon(() => document.querySelector<HTMLElement>('main [role="tab"][aria-selected="true"]')),
  });
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
      {ids.length === 0 ? (
        <p className="empty">No servers yet. Add a local command or a remote URL to get started.</p>
      ) : (
        <ul {...list.listProps} aria-label="Servers">
          {ids.map((id, i) => {
            const server = servers[id]!;
            return (
              <li key={id} id={serverItemId(id)} {...list.optionProps(i)} className={id === selectedId ? 'server-item selected' : 'server-item'}>
                <span className="server-name">{server.name}</span>
                <span className="server-kind">{server.config.transport === 'stdio' ? 'local' : 'remote'}</span>
                <StatusBadge status={server.status} live={false} />
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
