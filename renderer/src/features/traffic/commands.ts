import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';
import { useServers } from '../servers';

/** The palette's traffic commands: each server's protocol traffic. */
export function trafficCommands(): Command[] {
  const { servers, order, select, setTab } = useServers.getState();
  return order.flatMap((id): Command[] => {
    const server = servers[id];
    if (!server) return [];
    return [
      {
        id: `traffic.open:${id}`,
        title: `Traffic of ${server.name}`,
        group: 'View',
        keywords: 'json-rpc messages protocol inspector http',
        run: () => {
          useNavigation.getState().showView('servers');
          select(id);
          setTab(id, 'traffic');
        },
      },
    ];
  });
}
