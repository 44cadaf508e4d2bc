import { existsSync, renameSync } from 'node:fs';
import type { KeyValueStore } from '../ports';

// A settings file that no longer parses (a crash mid-edit, a bad hand edit)
// must not keep the app from starting, and must not be lost: it is moved aside
// under a dated name, the app starts with fresh settings, and the user is told
// where the old file is.

export interface OpenedStore<S extends KeyValueStore> {
  store: S;
  /** Set when the file was unreadable and moved aside. */
  notice?: string;
}

export function openStoreSafely<S extends KeyValueStore>(open: () => S, file: string, now: () => number = Date.now): OpenedStore<S> {
  try {
    return { store: open() };
  } catch (error) {
    if (!existsSync(file)) throw error;
    const aside = file.replace(/\.json$/, '') + `.unreadable-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.json`;
    renameSync(file, aside);
    return {
      store: open(),
      notice: `Your settings file could not be read (${(error as Error).message.split('\n')[0]}). It was kept as ${aside}; Switchboard started with fresh settings.`,
    };
  }
}
