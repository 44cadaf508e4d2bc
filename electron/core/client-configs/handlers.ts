import type { clientConfigsMethods, ServerInput, ServerView } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { StoredServer } from '../servers';
import { ownFile, preview, write } from './export-service';
import { importSelected, scan } from './import-service';
import { importPasted, previewPasted } from './pasted';
import type { Env } from './paths';
import type { GatewayExportSource } from './gateway-entries';
import type { ClientConfigWatcher } from './watch';

// The desktop hub's contract (shared/contract/client-configs.ts) on top of the
// readers and writers in this folder and the servers feature.

export interface ClientConfigsHandlersDeps {
  /** HOME, APPDATA, XDG_CONFIG_HOME, USERPROFILE…: where the clients' files are, and what their variables expand to. */
  env: () => Promise<Env>;
  platform: NodeJS.Platform;
  listServers: () => Promise<ServerView[]>;
  /** The servers feature's add: validation, vault for secret values, launch approval still required. */
  addServer: (input: ServerInput) => Promise<ServerView>;
  stored: (id: string) => StoredServer;
  secretValue: (id: string, kind: 'env' | 'header', name: string) => Promise<string | undefined>;
  watcher: ClientConfigWatcher;
  /** Export through the gateway (absent: only direct entries are written). */
  gateway?: GatewayExportSource;
}

export function clientConfigsHandlers(deps: ClientConfigsHandlersDeps): FeatureHandlers<typeof clientConfigsMethods> {
  return {
    scanClientConfigs: ({ projectFolders }) => scan(deps, projectFolders),
    importServers: async ({ projectFolders, selections }) => ({ results: await importSelected(deps, projectFolders, selections) }),
    previewPastedConfig: ({ text }) => previewPasted(deps, text),
    importPastedConfig: async ({ text, selections }) => ({ results: await importPasted(deps, text, selections) }),
    previewClientExport: (req) => preview(deps, req),
    writeClientExport: async (req) => {
      const done = await write(deps, req);
      // Switchboard's own write is not a change behind the user's back.
      deps.watcher.acceptServers(done.path, done.written);
      return done;
    },
    listClientConfigChanges: async () => ({ changes: await deps.watcher.list() }),
    acknowledgeClientConfigChange: async ({ path }) => ({ changes: await deps.watcher.acknowledge(path) }),
    exportSwitchboardServers: async ({ serverIds }) => ({ text: await ownFile(deps, serverIds ?? (await deps.listServers()).map((s) => s.id)) }),
  };
}
