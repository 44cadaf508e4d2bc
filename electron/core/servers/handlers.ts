import type { serversMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { ServerManager } from './server-manager';

// The servers contract (shared/contract/servers.ts) on top of the ServerManager.

export interface ServersHandlersDeps {
  servers: ServerManager;
}

export function serversHandlers({ servers }: ServersHandlersDeps): FeatureHandlers<typeof serversMethods> {
  return {
    listServers: async () => ({ servers: await servers.list(), invalid: servers.invalidEntries() }),
    addServer: async ({ config }) => ({ server: await servers.add(config) }),
    updateServer: async ({ serverId, config }) => ({ server: await servers.update(serverId, config) }),
    removeServer: async ({ serverId }) => {
      await servers.remove(serverId);
      return { removed: true as const };
    },
    approveLaunch: async ({ serverId, specHash }) => ({ server: await servers.approve(serverId, specHash) }),
    connectServer: async ({ serverId }) => ({ server: await servers.connect(serverId) }),
    disconnectServer: async ({ serverId }) => ({ server: await servers.disconnect(serverId) }),
    getServerLog: async ({ serverId }) => ({ lines: servers.getLog(serverId) }),
    // The tool list stays here until the tool catalogue takes it over.
    listTools: async ({ serverId }) => ({ tools: servers.listTools(serverId) }),
  };
}
