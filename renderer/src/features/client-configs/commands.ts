import type { Command } from '../../components/palette';
import { useServers } from '../servers';
import { useClientConfigDialogs } from './store';

/** The palette's import and export commands. */
export function clientConfigCommands(): Command[] {
  const dialogs = useClientConfigDialogs.getState();
  const { servers, order } = useServers.getState();
  const commands: Command[] = [
    {
      id: 'client-configs.import',
      title: 'Import servers from…',
      group: 'Servers',
      keywords: 'claude desktop code cursor vs code windsurf config',
      run: dialogs.openImport,
    },
    {
      id: 'client-configs.export',
      title: 'Export servers to…',
      group: 'Servers',
      keywords: 'claude cursor vs code windsurf config write',
      run: () => dialogs.openExport(),
    },
  ];
  for (const id of order) {
    const server = servers[id];
    if (server) commands.push({ id: `client-configs.export:${id}`, title: `Export ${server.name} to…`, group: 'Server', run: () => dialogs.openExport([id]) });
  }
  return commands;
}
