import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { IpcError } from '../../../shared/contract/errors';

// A bounded reader for the zip files mcpb bundles are. A bundle is hostile
// input even when its hash matches (the publisher may be hostile), so: no
// ZIP64, no encryption, no symlinks, no paths that leave the folder, no
// duplicates, and every size, count and compression ratio is capped before
// anything is inflated. Pure Node: the central directory is parsed by hand,
// entries are stored or deflated (zlib.inflateRawSync with maxOutputLength)
// and each one's CRC-32 is checked.

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** Uncompressed/compressed above this (for entries over 1 MiB) is a bomb. */
  maxRatio: number;
}

export const ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 500 * 1024 * 1024, maxEntryBytes: 200 * 1024 * 1024, maxRatio: 200 };

export interface ZipEntry {
  /** Safe relative path with `/` separators; directories end without `/`. */
  path: string;
  directory: boolean;
  executable: boolean;
  data: Buffer;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

const bad = (why: string) => new IpcError('VALIDATION', `Refusing the bundle: ${why}`);

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw bad('it is not a zip file (no end of central directory).');
}

/** Why a name cannot be extracted, or undefined. */
export function unsafeZipPath(name: string): string | undefined {
  if (name.length === 0 || name.length > 1024) return 'an empty or over-long name';
  if (name.includes('\u0000')) return 'a NUL character';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'a drive letter';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return 'a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'an empty or "." segment';
  if (segments.length > 64) return 'too deep a path';
  return undefined;
}

/** Parses and inflates every entry, within the limits; throws a VALIDATION error on anything hostile. */
export function readZip(buf: Buffer, limits: ZipLimits = ZIP_LIMITS): ZipEntry[] {
  return [...zipEntries(buf, limits)];
}

/** One entry at a time (so extraction holds one inflated entry in memory, not all), each checked before it is yielded. */
export function* zipEntries(buf: Buffer, limits: ZipLimits = ZIP_LIMITS): Generator<ZipEntry> {
  if (buf.length < 22) throw bad('it is not a zip file (too short).');
  const eocd = findEocd(buf);
  if (eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR) throw bad('it is a ZIP64 archive, which Switchboard does not read.');
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw bad('it is a ZIP64 archive, which Switchboard does not read.');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw bad('it spans several disks.');
  if (count > limits.maxEntries) throw bad(`it has ${count} entries (at most ${limits.maxEntries}).`);
  if (cdOffset + cdSize > eocd) throw bad('its central directory is out of bounds.');

  const seen = new Set<string>();
  const files = new Set<string>();
  const folders = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL) throw bad('its central directory is corrupt.');
    const madeBy = buf.readUInt16LE(p + 4) >> 8;
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > eocd) throw bad('its central directory is corrupt.');
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;

    const shown = JSON.stringify(name.slice(0, 100));
    if (csize === 0xffffffff || usize === 0xffffffff || localOffset === 0xffffffff)
      throw bad(`the entry ${shown} uses ZIP64 sizes, which Switchboard does not read.`);
    if (flags & 0x1 || method === 99) throw bad(`the entry ${shown} is encrypted.`);
    const unsafe = unsafeZipPath(name);
    if (unsafe) throw bad(`the entry ${shown} has ${unsafe}.`);
    const mode = madeBy === 3 ? external >>> 16 : 0;
    if ((mode & S_IFMT) === S_IFLNK) throw bad(`the entry ${shown} is a symbolic link.`);
    const path = name.replace(/\/$/, '');
    const key = path.toLowerCase(); // case-insensitive file systems would merge these
    if (seen.has(key)) throw bad(`the name ${shown} appears twice.`);
    seen.add(key);
    const directory = name.endsWith('/');
    // A file may not also be a folder (`a` then `a/b`, or the other way round).
    const parents = key
      .split('/')
      .slice(0, -1)
      .map((_, n, all) => all.slice(0, n + 1).join('/'));
    if (parents.some((d) => files.has(d)) || (!directory && folders.has(key))) throw bad(`the name ${shown} is both a file and a folder.`);
    for (const d of parents) folders.add(d);
    (directory ? folders : files).add(key);
    if (directory) {
      yield { path, directory, executable: false, data: Buffer.alloc(0) };
      continue;
    }
    if (method !== 0 && method !== 8) throw bad(`the entry ${shown} uses compression method ${method} (only stored and deflated are read).`);
    if (usize > limits.maxEntryBytes) throw bad(`the entry ${shown} is ${usize} bytes uncompressed (at most ${limits.maxEntryBytes}).`);
    total += usize;
    if (total > limits.maxTotalBytes) throw bad(`it unpacks to more than ${limits.maxTotalBytes} bytes.`);
    if (usize > 1024 * 1024 && usize / Math.max(csize, 1) > limits.maxRatio)
      throw bad(`the entry ${shown} expands ${Math.round(usize / Math.max(csize, 1))}-fold (a zip bomb).`);

    if (localOffset + 30 > cdOffset || buf.readUInt32LE(localOffset) !== LOCAL) throw bad(`the entry ${shown} has no local header.`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + csize > cdOffset) throw bad(`the entry ${shown} is out of bounds.`);
    const raw = buf.subarray(start, start + csize);
    let data: Buffer;
    if (method === 0) {
      if (csize !== usize) throw bad(`the stored entry ${shown} has mismatched sizes.`);
      data = Buffer.from(raw);
    } else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
      } catch {
        throw bad(`the entry ${shown} does not inflate to its declared size.`);
      }
    }
    if (data.length !== usize) throw bad(`the entry ${shown} does not inflate to its declared size.`);
    if (crc32(data) !== crc) throw bad(`the entry ${shown} fails its CRC-32 check (corrupt or tampered).`);
    yield { path, directory, executable: (mode & 0o111) !== 0, data };
  }
}

/**
 * Unpacks into `dest` atomically: everything goes to a temp folder beside it,
 * which is renamed into place only once every entry is checked and written
 * (a hostile entry anywhere leaves nothing behind). Files are
 * 0600 (0700 when marked executable), folders 0700. An existing `dest` is replaced.
 */
export function extractZip(buf: Buffer, dest: string, limits: ZipLimits = ZIP_LIMITS): void {
  const temp = join(dirname(dest), `.${randomUUID()}.tmp`);
  mkdirSync(temp, { mode: 0o700 });
  try {
    for (const e of zipEntries(buf, limits)) {
      const target = join(temp, ...e.path.split('/'));
      if (e.directory) {
        mkdirSync(target, { recursive: true, mode: 0o700 });
        continue;
      }
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const mode = e.executable ? 0o700 : 0o600;
      writeFileSync(target, e.data, { mode, flag: 'wx' });
      chmodSync(target, mode); // the umask may have narrowed it; never wider than this
    }
    rmSync(dest, { recursive: true, force: true });
    renameSync(temp, dest);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
