import { statSync } from 'node:fs';
import type { KeyValueStore } from '../ports';

// The settings file read once per change, not once per access. conf (and electron-store on it)
// reads and parses the whole file on every get, and some reads sit on hot paths: the grant
// lookup in front of every MCP HTTP request, the gateway's connection checks. A stat is a
// fraction of that. Other processes' edits are still seen: a write by conf (temp file, then
// rename) gives a new inode, and any write sets the change time (ctime, which no program can
// set back). A file changed in the last moments is not trusted to the cache at all, since the
// clock behind file times is coarse: an edit in the same tick could carry the same times. The
// stat itself is skipped for a moment after one (RECHECK_MS): another process's edit is seen
// within that, our own writes at once.

/** What the adapters give: the file, a read of all of it, and conf's own writes. */
export interface FileBackedStore {
  readonly path: string;
  /** The whole parsed file (conf's `store` getter: reads and parses it; throws as conf does on a broken file). */
  readAll(): Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Younger than this, a file is read again on every access. */
const SETTLE_MS = 100;
/** A settled, cached file is stat'ed again at most this often (a stat costs tens of microseconds on a busy main process). */
const RECHECK_MS = 250;

function signature(path: string): { sig: string; changedAt: number } {
  try {
    const s = statSync(path, { bigint: true });
    return { sig: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedAt: Math.max(Number(s.mtimeMs), Number(s.ctimeMs)) };
  } catch {
    return { sig: 'absent', changedAt: 0 };
  }
}

/**
 * A KeyValueStore over the file that re-reads it only when its signature changed or after its own writes. Values
 * are handed out as copies, so a caller that edits what it read never edits the cache.
 */
export function fileCachedStore(inner: FileBackedStore): KeyValueStore & { readonly path: string } {
  let cached: { sig: string; all: Record<string, unknown>; checkedAt: number } | undefined;
  const current = (): Record<string, unknown> => {
    const now = performance.now();
    if (cached && now - cached.checkedAt < RECHECK_MS) return cached.all;
    const { sig, changedAt } = signature(inner.path);
    if (cached?.sig === sig) {
      cached.checkedAt = now;
      return cached.all;
    }
    // Stat first: a change that lands between the stat and the read is read now and seen again next time.
    const all = inner.readAll();
    cached = Date.now() - changedAt > SETTLE_MS ? { sig, all, checkedAt: now } : undefined;
    return all;
  };
  const write = (fn: () => void) => {
    cached = undefined;
    try {
      fn();
    } finally {
      cached = undefined;
    }
  };
  return {
    path: inner.path,
    get: (key) => {
      const all = current();
      return Object.hasOwn(all, key) ? structuredClone(all[key]) : undefined;
    },
    has: (key) => Object.hasOwn(current(), key),
    set: (key, value) => write(() => inner.set(key, value)),
    delete: (key) => write(() => inner.delete(key)),
  };
}
