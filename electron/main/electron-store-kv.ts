import Store from 'electron-store';
import { prepareSettingsFile } from '../core/node-ports/conf-store';
import type { KeyValueStore } from '../core/ports';
import { fileCachedStore } from '../core/settings/file-cached-store';
import { PRIVATE_FILE_MODE, securePrivateDir, withAtomicConfWrite } from '../core/settings/private-files';

// Settings in the app: electron-store (conf underneath). Same guarantees as the
// Node adapter (conf-store.ts): atomic writes even under SNAP, a 0600 file in a
// 0700 directory, stale temp copies removed at startup, re-read when it changed.
// Only non-secret data and vault ciphertext ever land here.

export function createElectronStoreKv(cwd?: string): KeyValueStore {
  if (cwd) securePrivateDir(cwd);
  const store = new Store<Record<string, unknown>>({
    name: 'settings',
    cwd,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: PRIVATE_FILE_MODE,
  });
  prepareSettingsFile(store.path);
  return fileCachedStore({
    path: store.path,
    readAll: () => store.store,
    set: (key, value) => withAtomicConfWrite(() => store.set(key, value)),
    delete: (key) => withAtomicConfWrite(() => store.delete(key)),
  });
}
