import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';
import { focusServerItem } from './ServerList';
import { useServers } from './store';

/** The palette's server commands: add, and open / connect / disconnect each server. */
export function serverCommands(): Command[] {
  const { servers, order, select, connect, disconnect, showAddServer } = useServers.getState();
  const show = (id: string) => {
    useNavigation.getState().showView('servers');
    select(id);
  };
  const commands: Command[] = [
    { id: 'servers.add', title: 'Add server…', group: 'Servers', keywords: 'new local remote stdio http url command', shortcut: 'Mod+N', run: showAddServer },
  ];
  for (const id of order) {
    const server = servers[id];
    if (!server) continue;
    const running = server.status.state === 'connected' || server.status.state === 'starting' || server.status.state === 'crashed';
    commands.push(
      running
        ? { id: `servers.disconnect:${id}`, title: `Disconnect ${server.name}`, group: 'Server', keywords: 'stop', run: () => void disconnect(id) }
        : {
            id: `servers.connect:${id}`,
            title: `Connect ${server.name}`,
            group: 'Server',
            keywords: 'start run',
            run: () => {
              show(id);
              focusServerItem(id);
              void connect(id);
            },
          },
      {
        id: `servers.open:${id}`,
        title: `Go to ${server.name}`,
        group: 'Server',
        keywords: 'open select show',
        run: () => {
          show(id);
          focusServerItem(id);
        },
      },
    );
  }
  return commands;
}
