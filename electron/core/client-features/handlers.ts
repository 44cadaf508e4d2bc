import type { clientFeatureMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { ClientRequests } from './client-requests';
import type { Roots } from './roots';
import type { ServerMessages } from './server-messages';

export function clientFeaturesHandlers({ roots, requests, messages }: { roots: Roots; requests: ClientRequests; messages: ServerMessages }): FeatureHandlers<typeof clientFeatureMethods> {
  const ok = { ok: true as const };
  return {
    setLogLevel: async ({ serverId, level }) => {
      await messages.setLevel(serverId, level);
      return ok;
    },
    getServerMessages: ({ serverId }) => messages.get(serverId),
    getRoots: ({ serverId }) => ({ serverId, paths: roots.get(serverId) }),
    setRoots: async ({ serverId, paths }) => ({ serverId, paths: await roots.set(serverId, paths) }),
    listClientRequests: () => ({ requests: requests.list() }),
    answerElicitation: ({ requestId, action, content }) => {
      requests.answerElicitation(requestId, action, content);
      return ok;
    },
    answerSampling: ({ requestId, action, text }) => {
      requests.answerSampling(requestId, action, text);
      return ok;
    },
  };
}
