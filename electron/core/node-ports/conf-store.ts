import Conf from 'conf';
import type { KeyValueStore } from '../ports';

// `conf` is the library under electron-store: same file format, same atomic
// writes. Node tests and the e2e bridge use it; the app uses electron-store.

export function createConfStore(dataDir: string, configName = 'settings'): KeyValueStore & { readonly path: string } {
  const conf = new Conf<Record<string, unknown>>({ projectName: 'switchboard', cwd: dataDir, configName, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
  return {
    path: conf.path,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    delete: (key) => conf.delete(key),
    has: (key) => conf.has(key),
  };
}
