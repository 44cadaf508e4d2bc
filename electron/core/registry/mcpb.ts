import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IpcError } from '../../../shared/contract/errors';
import type { FetchPort } from '../ports';
import { readBounded } from './client';
import { registryUrlProblem } from './launch-spec';
import { extractZip } from './zip-reader';

// An mcpb package is a bundle at a URL plus the SHA-256 the publisher declared.
// It is downloaded (bounded), hashed, and only a bundle whose hash matches is
// kept, under the data dir, named by its hash; on a mismatch nothing is kept.
// Only a verified bundle is unpacked (zip-reader.ts), beside it, into a folder
// named by the same hash.

export const MAX_BUNDLE_BYTES = 100 * 1024 * 1024;
const SHA256 = /^[a-f0-9]{64}$/i;

/** Why the package cannot be fetched as an mcpb, or undefined. */
export function mcpbProblem(url: string, fileSha256: string | undefined, registryUrl: URL): string | undefined {
  if (!fileSha256 || !SHA256.test(fileSha256)) return 'The bundle has no valid fileSha256 to check it against; it cannot be installed.';
  return registryUrlProblem(url, registryUrl, 'bundle URL');
}

/** Downloads and verifies the bundle; returns its path under the data dir. Throws (keeping nothing) on a mismatch. */
export async function downloadVerified(fetchImpl: FetchPort, dataDir: string, url: string, fileSha256: string | undefined, registryUrl: URL): Promise<string> {
  const problem = mcpbProblem(url, fileSha256, registryUrl);
  if (problem) throw new IpcError('VALIDATION', problem);
  let res: Response;
  try {
    res = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new IpcError('CONNECTION_FAILED', `Could not download the bundle: ${(error as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new IpcError('CONNECTION_FAILED', `Downloading the bundle failed: HTTP ${res.status}.`);
  }
  const bytes = await readBounded(res, MAX_BUNDLE_BYTES, 'The bundle');
  const actual = createHash('sha256').update(bytes).digest('hex');
  const expected = fileSha256!.toLowerCase();
  if (actual !== expected) {
    throw new IpcError(
      'VALIDATION',
      `Refusing the bundle: its SHA-256 is ${actual}, but the registry declares ${expected}. It may have been tampered with; nothing was installed.`,
    );
  }
  const dir = join(dataDir, 'registry-bundles');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${actual}.mcpb`);
  const temp = join(dir, `.${randomUUID()}.tmp`);
  try {
    writeFileSync(temp, bytes, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  return path;
}

/** Unpacks a verified bundle (`<sha>.mcpb`) into `<sha>/` beside it; returns that folder. */
export function unpackVerified(bundlePath: string): string {
  const dest = join(dirname(bundlePath), basename(bundlePath, '.mcpb'));
  extractZip(readFileSync(bundlePath), dest);
  return dest;
}
