import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfStore } from '../node-ports/conf-store';
import { ServerRepo } from '../servers';
import { migrateSettings, SETTINGS_VERSION } from './settings';
import { openStoreSafely } from './open-store';

const tempDir = () => mkdtempSync(join(tmpdir(), 'switchboard-settings-'));

describe('settings migrations', () => {
  it('migrates an unversioned file to the current version', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'settings.json'),
      JSON.stringify({ servers: [{ id: 'a', name: 'A', enabled: true, transport: 'stdio', command: 'node', args: [], env: [] }] }),
    );
    const store = createConfStore(dir);
    expect(migrateSettings(store)).toEqual({ from: 0, to: SETTINGS_VERSION });
    const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(file).toMatchObject({ schemaVersion: SETTINGS_VERSION, approvals: {}, preferences: {} });
    expect(file.servers).toHaveLength(1);
  });

  it('runs each step in order and records the version after each', () => {
    const store = createConfStore(tempDir());
    const seen: number[] = [];
    const registry = { 0: () => seen.push(0), 1: () => seen.push(1), 2: () => seen.push(2) };
    expect(migrateSettings(store, registry, 3)).toEqual({ from: 0, to: 3 });
    expect(seen).toEqual([0, 1, 2]);
    expect(store.get('schemaVersion')).toBe(3);
    expect(migrateSettings(store, registry, 3)).toEqual({ from: 3, to: 3 });
    expect(seen).toEqual([0, 1, 2]);
  });

  it('leaves a file from a newer version alone', () => {
    const store = createConfStore(tempDir());
    store.set('schemaVersion', 99);
    expect(migrateSettings(store)).toEqual({ from: 99, to: 99, newerVersion: 99 });
    expect(store.get('schemaVersion')).toBe(99);
  });

  it('reports hand-edited server entries that do not validate, and keeps them in the file', () => {
    const dir = tempDir();
    const good = { id: 'a', name: 'A', enabled: true, transport: 'stdio', command: 'node', args: [], env: [] };
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ schemaVersion: 1, servers: [good, { id: 'b', transport: 'stdio', command: 42 }, 'junk'] }));
    const repo = new ServerRepo(createConfStore(dir));
    const { servers, invalid } = repo.list();
    expect(servers.map((s) => s.id)).toEqual(['a']);
    expect(invalid.map((i) => i.index)).toEqual([1, 2]);
    expect(invalid[0]!.reason).toContain('command');
    repo.upsert({ ...good, name: 'A2' } as never);
    const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
    expect(file.servers).toHaveLength(3);
    expect(file.servers[2]).toBe('junk');
  });

  it('refuses to start on a corrupt JSON file rather than overwriting it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{ not json');
    expect(() => createConfStore(dir)).toThrow();
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{ not json');
  });
});

describe('an unreadable settings file', () => {
  it('is moved aside, not lost, and the app starts with fresh settings', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{ "servers": [ truncated');
    const { store, notice } = openStoreSafely(
      () => createConfStore(dir),
      join(dir, 'settings.json'),
      () => Date.UTC(2026, 10, 26, 12, 0, 0),
    );
    expect(store.get('servers')).toBeUndefined();
    const aside = join(dir, 'settings.unreadable-2026-11-26T12-00-00-000Z.json');
    expect(readFileSync(aside, 'utf8')).toBe('{ "servers": [ truncated');
    expect(notice).toContain(aside);
  });

  it('a readable file opens as usual, with no notice', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{"schemaVersion":1,"servers":[]}');
    const { store, notice } = openStoreSafely(() => createConfStore(dir), join(dir, 'settings.json'));
    expect(store.get('schemaVersion')).toBe(1);
    expect(notice).toBeUndefined();
  });
});
