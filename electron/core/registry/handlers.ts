import type { registryMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { RegistryService } from './registry-service';

export interface RegistryHandlersDeps {
  registry: RegistryService;
}

export function registryHandlers({ registry }: RegistryHandlersDeps): FeatureHandlers<typeof registryMethods> {
  return {
    searchRegistry: ({ search, cursor }) => registry.search(search, cursor),
    registryVersions: ({ name }) => registry.versions(name),
    registryInstallPlan: ({ name, version }) => registry.plan(name, version),
    installFromRegistry: ({ name, version, option, values, serverName }) => registry.install(name, version, option, values, serverName),
    getRegistrySettings: async () => registry.getSettings(),
    setRegistrySettings: async ({ url }) => registry.setSettings(url),
  };
}
