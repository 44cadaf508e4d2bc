import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The app's settings adapter (electron-store) must give the guarantees the Node
// adapter gives (test/security/settings-durability.test.ts): atomic writes even
// with SNAP set, a 0600 file, stale temp copies removed at startup. The Electron
// binary cannot run here, and electron-store imports it, so electron-store is
// stood in for by what it is built on: conf, given the options electron-store
// maps (`name` is conf's `configName`). This checks the adapter's own wiring.
vi.mock('electron-store', async () => {
  const Conf = (await import('conf')).default;
  return {
    default: class extends Conf<Record<string, unknown>> {
      constructor(options: Record<string, unknown>) {
        super({ projectName: 'switchboard-test', configName: options.name as string, ...options });
      }
    },
  };
});
const { createElectronStoreKv } = await import('./electron-store-kv');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('electron-store settings adapter', () => {
  it('replaces the file on every write (atomic rename) even with SNAP set, and keeps it 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-estore-'));
    dirs.push(dir);
    const previous = process.env.SNAP;
    process.env.SNAP = '/snap/fake/1';
    try {
      const store = createElectronStoreKv(dir);
      store.set('a', 1);
      const file = join(dir, 'settings.json');
      const first = statSync(file).ino;
      store.set('a', 2);
      // An in-place write keeps the inode; write-temp-then-rename gives a new one.
      expect(statSync(file).ino).not.toBe(first);
      expect(store.get('a')).toBe(2);
      if (process.platform !== 'win32') expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect(process.env.SNAP).toBe('/snap/fake/1');
    } finally {
      if (previous === undefined) delete process.env.SNAP;
      else process.env.SNAP = previous;
    }
  });

  it('removes temp copies left by a crashed write when it opens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-estore-'));
    dirs.push(dir);
    const stale = join(dir, 'settings.json.tmp-1764620000abc123');
    writeFileSync(stale, '{"half":');
    utimesSync(stale, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    createElectronStoreKv(dir);
    expect(readdirSync(dir)).not.toContain('settings.json.tmp-1764620000abc123');
  });
});
