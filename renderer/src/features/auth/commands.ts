import { useNavigation } from '../../components/navigation';
import type { Command } from '../../components/palette';
import { useServers } from '../servers';
import { useAuth } from './store';

/** The palette's sign-in commands, for each remote server. Revoke opens its confirmation, never revokes outright. */
export function authCommands(): Command[] {
  const { servers, order, select, setTab } = useServers.getState();
  const auth = useAuth.getState();
  const show = (id: string) => {
    useNavigation.getState().showView('servers');
    select(id);
  };
  return order.flatMap((id) => {
    const server = servers[id];
    if (!server || server.config.transport !== 'http') return [];
    return [
      {
        id: `auth.sign-in:${id}`,
        title: `Sign in to ${server.name}`,
        group: 'Server',
        keywords: 'oauth login authorize re-authorize',
        run: () => {
          show(id);
          void auth.startSignIn(id);
        },
      },
      {
        id: `auth.revoke:${id}`,
        title: `Revoke ${server.name}’s grant…`,
        group: 'Server',
        keywords: 'sign out oauth token revocation',
        run: () => {
          show(id);
          setTab(id, 'sign-in');
          auth.confirmRevoke(id);
        },
      },
    ];
  });
}
