import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Anything a test starts and must stop: a server, a core (close) or an auth harness (cleanup). */
export type Closable = { close(): unknown } | { cleanup(): unknown };

export interface Cleanup {
  /** Stops `thing` after the test and passes it through: `rs = track(await startProtectedMcpServer(...))`. */
  <T extends Closable>(thing: T): T;
  /** Runs `undo` after the test (a process to kill, a setting to restore). */
  defer(undo: () => unknown): void;
  /** A fresh directory under the OS temp dir, removed after the test. */
  tempDir(prefix?: string): string;
}

/**
 * The one cleanup idiom of the test suite: call once at the top of a file, then
 * track what each test starts. After each test, everything tracked is undone,
 * newest first (a core closes before the servers it talks to), even if the test
 * failed; one failing undo does not skip the others.
 */
export function useCleanup(): Cleanup {
  const undos: (() => unknown)[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const undo of undos.splice(0).reverse()) {
      try {
        await undo();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'Cleanup failed');
  });
  const track = (<T extends Closable>(thing: T): T => {
    undos.push(() => ('close' in thing ? thing.close() : thing.cleanup()));
    return thing;
  }) as Cleanup;
  track.defer = (undo) => void undos.push(undo);
  track.tempDir = (prefix = 'switchboard-test-') => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    undos.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  return track;
}
