import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ClientConfigError } from './types';

// Writing into another program's config file: a backup first, then an atomic
// replace (a crash leaves the old file or the new one, never half of one), the
// file's own mode kept, and a refusal if the file changed since the preview.

const BACKUP_MODE = 0o600;

/** Copies `path` to `<path>.switchboard-backup-<UTC timestamp>` beside it (0600: it may hold tokens). */
export function backupFile(path: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let target = `${path}.switchboard-backup-${stamp}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.switchboard-backup-${stamp}-${n}`;
  copyFileSync(path, target, constants.COPYFILE_EXCL);
  chmodSync(target, BACKUP_MODE);
  return target;
}

export interface WriteOptions {
  /** The text the preview was computed from; the write is refused if the file no longer holds it. undefined: the file must not exist. */
  expected: string | undefined;
  now?: Date;
}

/** Backs up the current file (if any), then atomically replaces it with `text`. Returns the backup's path. */
export function writeConfigFile(path: string, text: string, options: WriteOptions): { backup?: string } {
  // A config kept in a dotfiles repo is often a symlink: write the file it points at, keep the link.
  const target = existsSync(path) ? realpathSync(path) : path;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current !== options.expected) throw new ClientConfigError(`${path} changed since the preview was made; review the changes again.`);
  const mode = current === undefined ? 0o600 : statSync(target).mode & 0o7777;
  const backup = current === undefined ? undefined : backupFile(target, options.now);
  if (current === undefined) mkdirSync(dirname(target), { recursive: true }); // e.g. ~/.cursor before Cursor made it
  const temp = join(dirname(target), `.${basename(target)}.switchboard-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, mode); // the umask does not decide the mode of someone else's file
    renameSync(temp, target);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      /* already renamed or gone */
    }
    throw e;
  }
  syncDir(dirname(target));
  return backup === undefined ? {} : { backup };
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort: the rename itself is already atomic */
  }
}
