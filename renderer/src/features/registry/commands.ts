import type { Command } from '../../components/palette';
import { useRegistryDialog } from './store';

/** The palette's registry commands (its address is a setting, in the same dialog). */
export function registryCommands(): Command[] {
  const { show } = useRegistryDialog.getState();
  return [
    { id: 'registry.browse', title: 'Browse the MCP Registry…', group: 'Servers', keywords: 'install search add find catalogue', run: () => show() },
    {
      id: 'registry.settings',
      title: 'Registry address…',
      group: 'Settings',
      keywords: 'private registry url organisation settings',
      run: () => show({ settings: true }),
    },
  ];
}
