import Store from 'electron-store';
import type { KeyValueStore } from '../core/ports';

// Settings in the app: electron-store (conf underneath: atomic writes, JSON).
// Only non-secret data and vault ciphertext ever land here.

export function createElectronStoreKv(cwd?: string): KeyValueStore {
  const store = new Store<Record<string, unknown>>({ name: 'settings', cwd, accessPropertiesByDotNotation: false, clearInvalidConfig: false });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    has: (key) => store.has(key),
  };
}
