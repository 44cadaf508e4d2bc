import type { resourcesMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { ResourceService } from './resource-service';

export function resourcesHandlers({ resources }: { resources: ResourceService }): FeatureHandlers<typeof resourcesMethods> {
  const ok = { ok: true as const };
  return {
    listResources: ({ serverId, cursor }) => resources.list(serverId, cursor),
    listResourceTemplates: ({ serverId, cursor }) => resources.listTemplates(serverId, cursor),
    readResource: ({ serverId, ...req }) => resources.read(serverId, req),
    subscribeResource: async ({ serverId, uri }) => {
      await resources.subscribe(serverId, uri, true);
      return ok;
    },
    unsubscribeResource: async ({ serverId, uri }) => {
      await resources.subscribe(serverId, uri, false);
      return ok;
    },
    listSubscriptions: ({ serverId }) => ({ uris: resources.subscribed(serverId) }),
  };
}
