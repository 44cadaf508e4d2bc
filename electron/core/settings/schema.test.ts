import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfStore } from '../node-ports/conf-store';
import { settingsKey, settingsSchema } from './schema';

const storeWith = (content: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-schema-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(content));
  return { store: createConfStore(dir), file: () => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) };
};

describe('settings schema', () => {
  it('declares every top-level key the core reads or writes', () => {
    expect(Object.keys(settingsSchema).sort()).toEqual([
      'approvals',
      'auth.clients',
      'auth.grants',
      'clientConfigs.baselines',
      'desktop',
      'gateway',
      'inspectRoots',
      'preferences',
      'registry',
      'schemaVersion',
      'servers',
      'tasks.byServer',
      'updates',
      'vault',
    ]);
  });

  it('reads a value that does not validate as the default, and leaves it in the file', () => {
    const { store, file } = storeWith({ schemaVersion: -3, servers: { not: 'a list' }, approvals: 'x', preferences: [1], vault: 7, 'auth.grants': null });
    expect(settingsKey(store, 'schemaVersion').read()).toBe(0);
    expect(settingsKey(store, 'servers').read()).toEqual([]);
    expect(settingsKey(store, 'approvals').read()).toEqual({});
    expect(settingsKey(store, 'preferences').read()).toEqual({});
    expect(settingsKey(store, 'vault').read()).toEqual({});
    expect(settingsKey(store, 'auth.grants').read()).toEqual({});
    expect(settingsKey(store, 'inspectRoots').read()).toEqual({});
    expect(settingsKey(store, 'servers').isValid()).toBe(false);
    expect(file()).toMatchObject({ schemaVersion: -3, servers: { not: 'a list' }, approvals: 'x', vault: 7 });
  });

  it('keeps server entries that do not validate: the list is read as it is', () => {
    const { store } = storeWith({
      servers: [{ id: 'a', name: 'A', enabled: true, transport: 'stdio', command: 'node', args: [], env: [] }, { name: 'broken' }],
    });
    expect(settingsKey(store, 'servers').read()).toHaveLength(2);
  });

  it('a preference of the wrong type reads as unset; keys from a newer version survive a write', () => {
    const { store, file } = storeWith({ preferences: { allowInsecureSecretStorage: 'yes', fromNewerVersion: 1 } });
    const preferences = settingsKey(store, 'preferences');
    expect(preferences.read().allowInsecureSecretStorage).toBeUndefined();
    preferences.write({ ...preferences.read(), allowInsecureSecretStorage: true });
    expect(file().preferences).toEqual({ allowInsecureSecretStorage: true, fromNewerVersion: 1 });
  });

  it('a __proto__ key in a map cannot change what the map inherits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-schema-'));
    writeFileSync(join(dir, 'settings.json'), '{"vault":{"__proto__":{"server:x:env:K":{"ciphertext":"c"}},"a":{}}}');
    const vault = settingsKey(createConfStore(dir), 'vault').read();
    expect('server:x:env:K' in vault).toBe(false);
    expect(Object.keys(vault)).toEqual(['a']);
  });
});
