import { focusSoon } from '../../components/focus';
import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';

/** The palette's gateway commands: the gateway view, and its on/off and port settings. */
export function gatewayCommands(): Command[] {
  const open = () => {
    useNavigation.getState().showView('gateway');
    focusSoon(() => document.querySelector<HTMLElement>('.gateway-switch input'));
  };
  return [
    { id: 'gateway.open', title: 'Open gateway for other apps', group: 'View', keywords: 'clients tokens claude cursor', run: open },
    {
      id: 'gateway.settings',
      title: 'Gateway settings (on/off, port)',
      group: 'Settings',
      keywords: 'enable disable port listen',
      run: () => {
        useNavigation.getState().showView('gateway');
        focusSoon(() => document.querySelector<HTMLElement>('.gateway-switch input'));
      },
    },
  ];
}
