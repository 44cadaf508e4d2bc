import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Everything the core writes under its data dir (settings, vault ciphertext,
// history of tool calls, tool snapshots, the process registry) is for this user
// only: directories 0700, files 0600. Files written by older versions are
// tightened at startup.

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** Bound on the directory entries looked at in one directory at startup. */
const MAX_ENTRIES = 10_000;

/** Creates `dir` (0700) or tightens it, and tightens the regular files directly inside it to 0600. */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform === 'win32') return; // POSIX modes mean nothing there; the profile directory's ACL applies.
  tighten(dir, PRIVATE_DIR_MODE);
  let names: string[];
  try {
    names = readdirSync(dir).slice(0, MAX_ENTRIES);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stat = lstatSync(path); // never follow a link out of the data dir
      if (stat.isFile() && stat.mode & 0o077) chmodSync(path, PRIVATE_FILE_MODE);
    } catch {
      /* vanished meanwhile */
    }
  }
}

function tighten(path: string, mode: number): void {
  try {
    const stat = lstatSync(path);
    if (!stat.isSymbolicLink() && (stat.mode & 0o777) !== mode) chmodSync(path, mode);
  } catch {
    /* not ours to change */
  }
}

/**
 * conf writes `<file>.tmp-<10 digits><6 hex>` (atomically's temp name) and renames it
 * over the file; a process killed between the two leaves the temp behind. Removes
 * those older than `minAgeMs` (a younger one may be another writer's, mid-write).
 */
export function removeStaleTempFiles(file: string, now = Date.now(), minAgeMs = 30_000): string[] {
  const dir = dirname(file);
  const prefix = basename(file) + '.tmp-';
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).slice(0, MAX_ENTRIES);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d{10}[a-f0-9]{6}$/.test(name.slice(prefix.length))) continue;
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isFile() || now - stat.mtimeMs < minAgeMs) continue;
      unlinkSync(path);
      removed.push(path);
    } catch {
      /* vanished meanwhile */
    }
  }
  return removed;
}

/**
 * conf (and electron-store on top of it) writes the file in place, not atomically,
 * whenever `SNAP` is in the environment, which it is for anything launched from a
 * snap-packaged terminal: a crash mid-write then leaves a truncated settings file.
 * Runs a conf write with `SNAP` hidden. The write is synchronous, so no other code
 * observes the environment without it.
 */
export function withAtomicConfWrite<T>(write: () => T): T {
  const snap = process.env.SNAP;
  if (snap === undefined) return write();
  delete process.env.SNAP;
  try {
    return write();
  } finally {
    process.env.SNAP = snap;
  }
}

/** Writes a small private file atomically: temp file (0600), fsync, rename over the target. */
export function writeFileAtomic(path: string, data: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
