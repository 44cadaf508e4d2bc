import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../ports';
import { createAuthContext } from './auth-context';
import { GrantStore, type StoredGrant } from './grant-store';
import type { AuthManagerDeps } from './types';

// The grant is read on every MCP request: a burst in one event-loop turn shares one read of the
// store, but the store's own writes and another writer's edits (seen on the next turn) are never missed.

function memoryStore(): KeyValueStore & { reads: number } {
  const data = new Map<string, unknown>();
  const store = {
    reads: 0,
    get: (key: string) => {
      store.reads++;
      return structuredClone(data.get(key));
    },
    set: (key: string, value: unknown) => void data.set(key, structuredClone(value)),
    delete: (key: string) => void data.delete(key),
    has: (key: string) => data.has(key),
  };
  return store;
}

const grant = (serverId: string, issuer: string) => ({ serverId, issuer }) as unknown as StoredGrant;

describe('GrantStore.grant', () => {
  it('reads the store once for a burst of requests, sees its own writes at once and outside edits a moment later', async () => {
    const store = memoryStore();
    const grants = new GrantStore(createAuthContext({ store } as unknown as AuthManagerDeps));
    for (let i = 0; i < 100; i++) expect(grants.grant('a')).toBeUndefined();
    expect(store.reads).toBe(1);

    grants.saveGrant(grant('a', 'https://one.example'));
    expect(grants.grant('a')?.issuer).toBe('https://one.example');
    grants.updateGrant('a', { needsSignIn: true });
    expect(grants.grant('a')?.needsSignIn).toBe(true);
    grants.deleteGrant('a');
    expect(grants.grant('a')).toBeUndefined();

    // Another writer (another process editing the settings file) is seen once the shared read is 100 ms old.
    store.set('auth.grants', { b: grant('b', 'https://two.example') });
    expect(grants.grant('b')).toBeUndefined();
    await new Promise((done) => setTimeout(done, 150));
    expect(grants.grant('b')?.issuer).toBe('https://two.example');
  });
});
