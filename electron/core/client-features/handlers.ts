import type { clientFeaturesMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { ServerManager } from '../servers';
import type { ClientRequests } from './client-requests';
import type { Roots } from './roots';
import type { ServerMessages } from './server-messages';

export interface ClientFeaturesHandlersDeps {
  roots: Roots;
  requests: ClientRequests;
  messages: ServerMessages;
  servers: ServerManager;
}

export function clientFeaturesHandlers({ roots, requests, messages, servers }: ClientFeaturesHandlersDeps): FeatureHandlers<typeof clientFeaturesMethods> {
  const ok = { ok: true as const };
  return {
    setLogLevel: async ({ serverId, level }) => {
      await messages.setLevel(serverId, servers.client(serverId), level);
      return ok;
    },
    getServerMessages: ({ serverId }) => messages.get(serverId),
    getRoots: ({ serverId }) => ({ serverId, paths: roots.get(serverId) }),
    setRoots: async ({ serverId, paths }) => {
      await servers.get(serverId); // NOT_FOUND for unknown servers
      const clean = roots.set(serverId, paths);
      try {
        await servers.client(serverId).sendRootsListChanged();
      } catch {
        /* not connected: the server reads them on its next roots/list */
      }
      return { serverId, paths: clean };
    },
    listClientRequests: () => ({ requests: requests.list() }),
    answerElicitation: async ({ requestId, action, content }) => {
      await requests.answerElicitation(requestId, action, content);
      return ok;
    },
    answerSampling: ({ requestId, action, text }) => {
      requests.answerSampling(requestId, action, text);
      return ok;
    },
  };
}
