import type { KeyValueStore } from '../ports';
import { settingsKey, type Preferences } from './schema';

// The settings file is versioned. Each migration takes the whole store from
// version N to N+1; they run in order on startup, before anything reads it.
// A file from a newer Switchboard is left untouched and reported.

export const SETTINGS_VERSION = 1;

type Migration = (store: KeyValueStore) => void;

const migrations: Record<number, Migration> = {
  // 0 → 1: the unversioned layout had `servers` only; approvals and preferences are new.
  0: (store) => {
    // Only a missing or malformed key is written (its default); server entries are never rewritten.
    for (const key of ['servers', 'approvals', 'preferences'] as const) {
      const setting = settingsKey(store, key);
      if (!setting.isValid()) setting.write(setting.read());
    }
  },
};

export interface MigrationResult {
  from: number;
  to: number;
  /** Set when the file was written by a newer version: we read what we understand and write nothing structural. */
  newerVersion?: number;
}

export function migrateSettings(store: KeyValueStore, registry: Record<number, Migration> = migrations, target = SETTINGS_VERSION): MigrationResult {
  const version = settingsKey(store, 'schemaVersion');
  const from = version.read();
  if (from > target) return { from, to: from, newerVersion: from };
  for (let step = from; step < target; step++) {
    const migrate = registry[step];
    if (!migrate) throw new Error(`No settings migration from version ${step}`);
    migrate(store);
    version.write(step + 1);
  }
  return { from, to: target };
}

export function readPreferences(store: KeyValueStore): Preferences {
  return settingsKey(store, 'preferences').read();
}

export function writePreferences(store: KeyValueStore, patch: Partial<Preferences>): Preferences {
  const preferences = settingsKey(store, 'preferences');
  const next = { ...preferences.read(), ...patch };
  preferences.write(next);
  return next;
}
