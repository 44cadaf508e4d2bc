import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';
import { useServers } from '../servers';
import { useTools } from './store';

/** One palette command per tool of each connected server: "server › tool" opens its form, focused. */
export function toolCommands(): Command[] {
  const { servers, order, tools, select, setTab } = useServers.getState();
  return order.flatMap((id) => {
    const server = servers[id];
    if (!server || server.status.state !== 'connected') return [];
    return (tools[id] ?? []).map((tool): Command => ({
      id: `tools.call:${id}:${tool.name}`,
      title: `${server.name} › ${tool.name}`,
      group: 'Call tool',
      keywords: [tool.title, tool.description?.slice(0, 120)].filter(Boolean).join(' '),
      run: () => {
        useNavigation.getState().showView('servers');
        select(id);
        setTab(id, 'tools');
        useTools.getState().selectTool(id, tool.name, { focusForm: true });
      },
    }));
  });
}
