import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useCleanup } from './cleanup';

// The suite's one cleanup idiom must really undo what a test started: the
// second test looks at what the first one left behind (tests in a file run in order).

describe('useCleanup', () => {
  const track = useCleanup();
  const undone: string[] = [];
  let dir = '';

  it('tracks servers, harnesses, deferred undos and temp dirs (the next test checks they were undone)', () => {
    track({ close: async () => void undone.push('server') });
    track({ cleanup: () => void undone.push('harness') });
    track.defer(() => void undone.push('deferred'));
    dir = track.tempDir('switchboard-cleanup-test-');
    expect(existsSync(dir)).toBe(true);
    expect(undone).toEqual([]);
  });

  it('undid everything, newest first', () => {
    expect(undone).toEqual(['deferred', 'harness', 'server']);
    expect(existsSync(dir)).toBe(false);
  });
});
