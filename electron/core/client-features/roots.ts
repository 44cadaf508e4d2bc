import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { IpcError } from '../../../shared/contract';
import type { KeyValueStore } from '../ports';

// The folders each server may see (roots), kept in the settings per server.

const ROOTS_KEY = 'inspectRoots';

export class Roots {
  constructor(private readonly store: KeyValueStore) {}

  get(serverId: string): string[] {
    const all = this.store.get(ROOTS_KEY);
    const list = all && typeof all === 'object' ? (all as Record<string, unknown>)[serverId] : undefined;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  }

  /** Validates and stores the roots; telling a connected server is the caller's part. */
  set(serverId: string, paths: string[]): string[] {
    const errors: Record<string, string> = {};
    const clean: string[] = [];
    paths.forEach((raw, i) => {
      const path = raw.trim();
      if (!path) return;
      if (!isAbsolute(path)) return void (errors[`paths.${i}`] = 'Use an absolute path.');
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        return void (errors[`paths.${i}`] = 'This folder does not exist.');
      }
      if (!isDir) return void (errors[`paths.${i}`] = 'This is a file, not a folder.');
      const normalized = resolve(path);
      if (!clean.includes(normalized)) clean.push(normalized);
    });
    if (Object.keys(errors).length) throw new IpcError('VALIDATION', 'Some roots are not usable folders.', errors);
    const all = this.store.get(ROOTS_KEY);
    this.store.set(ROOTS_KEY, { ...(all && typeof all === 'object' ? all : {}), [serverId]: clean });
    return clean;
  }

  /** A removed server leaves no roots behind. */
  forget(serverId: string): void {
    const roots = this.store.get(ROOTS_KEY);
    if (roots && typeof roots === 'object' && serverId in roots) {
      const next = { ...(roots as Record<string, unknown>) };
      delete next[serverId];
      this.store.set(ROOTS_KEY, next);
    }
  }
}
