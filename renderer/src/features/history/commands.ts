import { focusSoon } from '../../components/focus';
import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';

/** The palette's history command: the history of all calls, with its search box focused. */
export function historyCommands(): Command[] {
  return [
    {
      id: 'history.open',
      title: 'Open history of all calls',
      group: 'View',
      keywords: 'calls records log audit search',
      run: () => {
        useNavigation.getState().showView('history');
        focusSoon(() => document.querySelector<HTMLElement>('[aria-label="Search history"]'));
      },
    },
  ];
}
