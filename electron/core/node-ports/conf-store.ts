import { chmodSync, existsSync } from 'node:fs';
import Conf from 'conf';
import type { KeyValueStore } from '../ports';
import { fileCachedStore, PRIVATE_FILE_MODE, removeStaleTempFiles, securePrivateDir, withAtomicConfWrite } from '../settings';

// `conf` is the library under electron-store: same file format, same atomic
// writes (forced even under SNAP), same 0600 file. Node tests and the e2e bridge
// use it; the app uses electron-store. The file is re-read when it changed
// (file-cached-store.ts), so edits by other processes are seen.

export function createConfStore(dataDir: string, configName = 'settings'): KeyValueStore & { readonly path: string } {
  securePrivateDir(dataDir);
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'switchboard',
    cwd: dataDir,
    configName,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: PRIVATE_FILE_MODE,
  });
  prepareSettingsFile(conf.path);
  return fileCachedStore({
    path: conf.path,
    readAll: () => conf.store,
    set: (key, value) => withAtomicConfWrite(() => conf.set(key, value)),
    delete: (key) => withAtomicConfWrite(() => conf.delete(key)),
  });
}

/** Startup hygiene for a conf/electron-store file: temp copies left by a crash go, an old 0644 file becomes 0600. */
export function prepareSettingsFile(path: string): void {
  removeStaleTempFiles(path);
  if (process.platform !== 'win32' && existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}
