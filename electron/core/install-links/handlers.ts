import type { installLinksMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { InstallLinkQueue } from './queue';

export function installLinksHandlers(deps: { queue: InstallLinkQueue }): FeatureHandlers<typeof installLinksMethods> {
  return {
    takeInstallLink: async () => {
      const link = deps.queue.take();
      return link ? { link } : {};
    },
  };
}
