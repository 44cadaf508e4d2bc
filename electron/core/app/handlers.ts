import type { appMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { Cipher, FolderPicker, KeyValueStore } from '../ports';
import { readPreferences } from '../settings';

export interface AppHandlersDeps {
  cipher: Cipher;
  store: KeyValueStore;
  folderPicker?: FolderPicker;
  appVersion?: string;
  platform?: string;
  /** Shown to the user once the window is up (see openStoreSafely). */
  startupNotices?: string[];
}

export function appHandlers(deps: AppHandlersDeps): FeatureHandlers<typeof appMethods> {
  return {
    getAppInfo: async () => ({
      name: 'Switchboard',
      version: deps.appVersion ?? '0.1.0',
      platform: deps.platform ?? process.platform,
      secretStorage: {
        backend: await deps.cipher.backend(),
        secure: await deps.cipher.isSecure(),
        allowInsecurePersistence: Boolean(readPreferences(deps.store).allowInsecureSecretStorage),
      },
      notices: deps.startupNotices ?? [],
    }),
    chooseFolder: async ({ title }) => (deps.folderPicker ? { supported: true, path: await deps.folderPicker.choose(title) } : { supported: false }),
  };
}
