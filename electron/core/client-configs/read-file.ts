import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LIMITS } from './types';

// Reads a client's config file or an envFile: a regular file only (a FIFO or a
// device named by a hostile config would block or never end), opened without
// blocking, and never more than the cap.

export type ReadOutcome = { text: string } | { missing: true } | { problem: string };

export function readBoundedFile(path: string, maxBytes: number = LIMITS.fileBytes): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { problem: `${path} cannot be read (${code ?? String(e)}).` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: `${path} is not a regular file; not read.` };
    if (stat.size > maxBytes) return { problem: `${path} is larger than ${Math.round(maxBytes / 1024)} KiB; not read.` };
    // Read at most one byte past the cap: a file growing meanwhile is still bounded.
    const buf = Buffer.alloc(stat.size + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    if (got > maxBytes) return { problem: `${path} is larger than ${Math.round(maxBytes / 1024)} KiB; not read.` };
    return { text: buf.subarray(0, got).toString('utf8') };
  } catch (e) {
    return { problem: `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).` };
  } finally {
    closeSync(fd);
  }
}
