import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfStore } from '../node-ports/conf-store';
import { fileCachedStore } from './file-cached-store';

// The settings store reads its file once per change: edits by other processes are still seen,
// our own writes are seen at once, and what a caller does to a value it read never reaches the cache.
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-cache-'));
  dirs.push(dir);
  return createConfStore(dir);
};

describe('file-cached settings store', () => {
  it('sees its own writes and deletes at once', () => {
    const store = fresh();
    store.set('a', { n: 1 });
    expect(store.get('a')).toEqual({ n: 1 });
    store.set('a', { n: 2 });
    expect(store.get('a')).toEqual({ n: 2 });
    store.delete('a');
    expect(store.has('a')).toBe(false);
    expect(store.get('a')).toBeUndefined();
  });

  it('sees an edit by another process, in place or by rename, even of the same size', () => {
    const store = fresh();
    store.set('mode', 'aaaa');
    expect(store.get('mode')).toBe('aaaa');
    // In place, same length: only the modification time (and ctime) tell.
    writeFileSync(store.path, JSON.stringify({ mode: 'bbbb' }));
    expect(store.get('mode')).toBe('bbbb');
    // Replaced by a new file (a new inode), as conf and editors do.
    const tmp = `${store.path}.other`;
    writeFileSync(tmp, JSON.stringify({ mode: 'cccc' }));
    rmSync(store.path);
    writeFileSync(store.path, readFileSync(tmp));
    expect(store.get('mode')).toBe('cccc');
  });

  it('reads a settled file once while it is unchanged, and again after an edit whose times were set back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-cache-'));
    dirs.push(dir);
    const path = join(dir, 'settings.json');
    writeFileSync(path, JSON.stringify({ mode: 'aaaa' }));
    // Whole seconds, so the times can be put back exactly after the edit below.
    const old = Math.floor(Date.now() / 1000) - 10;
    utimesSync(path, old, old);
    let reads = 0;
    const store = fileCachedStore({
      path,
      readAll: () => (reads++, JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>),
      set: () => undefined,
      delete: () => undefined,
    });
    // Just written: not trusted to the cache (a same-tick edit could carry the same times).
    store.get('mode');
    store.get('mode');
    expect(reads).toBe(2);
    await new Promise((r) => setTimeout(r, 250));
    for (let i = 0; i < 5; i++) expect(store.get('mode')).toBe('aaaa');
    expect(reads).toBe(3);
    // Same size, and the modification time put back: the change time (which utimes cannot set) still tells.
    writeFileSync(path, JSON.stringify({ mode: 'bbbb' }));
    utimesSync(path, old, old);
    expect(statSync(path).mtimeMs).toBe(old * 1000);
    // Seen once the cached copy is due a check (a quarter of a second at most).
    await new Promise((r) => setTimeout(r, 300));
    expect(store.get('mode')).toBe('bbbb');
  });

  it('hands out copies: editing a value read does not change the next read', () => {
    const store = fresh();
    store.set('grants', { s1: { scopes: ['a'] } });
    const read = store.get('grants') as { s1: { scopes: string[] }; s2?: unknown };
    read.s1.scopes.push('admin');
    read.s2 = { forged: true };
    expect(store.get('grants')).toEqual({ s1: { scopes: ['a'] } });
  });

  it('reads a broken file the way conf does (throws), and recovers when it is fixed', () => {
    const store = fresh();
    store.set('a', 1);
    writeFileSync(store.path, '{"a": 1,');
    expect(() => store.get('a')).toThrow();
    writeFileSync(store.path, JSON.stringify({ a: 3 }));
    expect(store.get('a')).toBe(3);
  });
});
