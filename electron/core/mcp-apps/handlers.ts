import type { mcpAppsMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { AppService } from './app-service';

export function mcpAppsHandlers({ apps }: { apps: AppService }): FeatureHandlers<typeof mcpAppsMethods> {
  return {
    openApp: async ({ serverId, tool }) => ({ app: await apps.open(serverId, tool) }),
    appCallTool: ({ serverId, documentId, tool, arguments: args }) => apps.callTool(serverId, documentId, tool, args),
    appReadResource: ({ serverId, documentId, uri }) => apps.readResource(serverId, documentId, uri),
    appOpenLink: ({ serverId, documentId, url, step }) => apps.openLink(serverId, documentId, url, step),
    appNote: ({ serverId, documentId, kind, method, text }) => {
      apps.note(serverId, documentId, kind, method, text);
      return { ok: true as const };
    },
    closeApp: ({ serverId, documentId }) => {
      apps.close(serverId, documentId);
      return { ok: true as const };
    },
  };
}
