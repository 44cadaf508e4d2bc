import type { KeyValueStore } from '../ports';

// The settings file is versioned. Each migration takes the whole store from
// version N to N+1; they run in order on startup, before anything reads it.
// A file from a newer Switchboard is left untouched and reported.

export const SETTINGS_VERSION = 1;

type Migration = (store: KeyValueStore) => void;

const migrations: Record<number, Migration> = {
  // 0 → 1: the unversioned layout had `servers` only; approvals and preferences are new.
  0: (store) => {
    if (!Array.isArray(store.get('servers'))) store.set('servers', []);
    if (typeof store.get('approvals') !== 'object' || store.get('approvals') === null) store.set('approvals', {});
    if (typeof store.get('preferences') !== 'object' || store.get('preferences') === null) store.set('preferences', {});
  },
};

export interface MigrationResult {
  from: number;
  to: number;
  /** Set when the file was written by a newer version: we read what we understand and write nothing structural. */
  newerVersion?: number;
}

export function migrateSettings(store: KeyValueStore, registry: Record<number, Migration> = migrations, target = SETTINGS_VERSION): MigrationResult {
  const raw = store.get('schemaVersion');
  const from = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : 0;
  if (from > target) return { from, to: from, newerVersion: from };
  for (let version = from; version < target; version++) {
    const step = registry[version];
    if (!step) throw new Error(`No settings migration from version ${version}`);
    step(store);
    store.set('schemaVersion', version + 1);
  }
  return { from, to: target };
}

export interface Preferences {
  /** Opt-in to persisting secrets although the OS offers no secure storage (Linux basic_text). */
  allowInsecureSecretStorage?: boolean;
}

export function readPreferences(store: KeyValueStore): Preferences {
  const value = store.get('preferences');
  return value && typeof value === 'object' ? (value as Preferences) : {};
}

export function writePreferences(store: KeyValueStore, patch: Partial<Preferences>): Preferences {
  const next = { ...readPreferences(store), ...patch };
  store.set('preferences', next);
  return next;
}
