import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfStore } from '../node-ports/conf-store';
import { createKeyfileCipher } from '../node-ports/keyfile-cipher';
import type { Cipher } from '../ports';
import { Vault } from './vault';

const dir = () => mkdtempSync(join(tmpdir(), 'switchboard-vault-'));

describe('vault', () => {
  it('stores only ciphertext on disk, with the backend recorded, and the key file is 0600', async () => {
    const d = dir();
    const vault = new Vault(createKeyfileCipher(join(d, 'k')), createConfStore(d));
    await vault.put('server:1:env:TOKEN', 'plain-secret-value');
    const file = readFileSync(join(d, 'settings.json'), 'utf8');
    expect(file).not.toContain('plain-secret-value');
    expect(JSON.parse(file).vault['server:1:env:TOKEN'].backend).toBe('aes-256-gcm-keyfile');
    expect(statSync(join(d, 'k')).mode & 0o777).toBe(0o600);
    expect(await vault.get('server:1:env:TOKEN')).toEqual({ status: 'ok', value: 'plain-secret-value' });
  });

  it('reports records it cannot decrypt instead of throwing (tampering, other key, other backend)', async () => {
    const d = dir();
    const store = createConfStore(d);
    await new Vault(createKeyfileCipher(join(d, 'k1')), store).put('a', 'one');
    const other = new Vault(createKeyfileCipher(join(d, 'k2')), store);
    expect(await other.get('a')).toMatchObject({ status: 'undecryptable' });
    // The recorded backend is named in the reason, as a hint.
    const renamed: Cipher = { ...createKeyfileCipher(join(d, 'k2')), backend: async () => 'safeStorage:kwallet6' };
    expect(await new Vault(renamed, store).get('a')).toMatchObject({ status: 'undecryptable', reason: expect.stringContaining('aes-256-gcm-keyfile') });
    expect(await other.get('missing')).toEqual({ status: 'missing' });
  });

  it('treats the recorded backend as a hint: a record whose backend name changed still decrypts', async () => {
    const d = dir();
    const store = createConfStore(d);
    await new Vault({ ...createKeyfileCipher(join(d, 'k')), backend: async () => 'safeStorage:gnome_libsecret' }, store).put('a', 'one');
    // Desktop detection changed between launches (GNOME → KDE) but the key is the same.
    const renamed: Cipher = { ...createKeyfileCipher(join(d, 'k')), backend: async () => 'safeStorage:kwallet6' };
    expect(await new Vault(renamed, store).get('a')).toEqual({ status: 'ok', value: 'one' });
  });

  it('re-encrypts and saves a record when the cipher says the key rotated', async () => {
    const d = dir();
    const store = createConfStore(d);
    const keyfile = createKeyfileCipher(join(d, 'k'));
    await new Vault(keyfile, store).put('a', 'one');
    const before = (store.get('vault') as Record<string, { ciphertext: string }>).a!.ciphertext;
    let decrypts = 0;
    let encrypts = 0;
    const rotating: Cipher = {
      ...keyfile,
      backend: async () => 'rotated',
      encrypt: async (p) => (encrypts++, keyfile.encrypt(p)),
      decrypt: async (c) => ({ plaintext: (await keyfile.decrypt(c)).plaintext, shouldReEncrypt: ++decrypts === 1 }),
    };
    expect(await new Vault(rotating, store).get('a')).toEqual({ status: 'ok', value: 'one' });
    const after = (store.get('vault') as Record<string, { ciphertext: string; backend: string }>).a!;
    expect(encrypts).toBe(1);
    expect(after.ciphertext).not.toBe(before);
    expect(after.backend).toBe('rotated');
    // The new record reads back without asking to re-encrypt again.
    expect(await new Vault(rotating, store).get('a')).toEqual({ status: 'ok', value: 'one' });
    expect(encrypts).toBe(1);
  });

  it('binds every record to its key: a ciphertext copied to another key is refused with a reason', async () => {
    const d = dir();
    const store = createConfStore(d);
    const cipher = createKeyfileCipher(join(d, 'k'));
    await new Vault(cipher, store).put('server:1:env:GITHUB_TOKEN', 'ghp_secret');
    const all = store.get('vault') as Record<string, unknown>;
    store.set('vault', { ...all, 'server:2:header:Authorization': all['server:1:env:GITHUB_TOKEN'] });
    const read = await new Vault(cipher, store).get('server:2:header:Authorization');
    expect(read).toMatchObject({ status: 'undecryptable', reason: expect.stringContaining('different entry') });
    expect(JSON.stringify(read)).not.toContain('ghp_secret');
  });

  it('secureOnly records (launch approvals) never come from a fixed key: not written to disk, not read from it', async () => {
    const d = dir();
    const store = createConfStore(d);
    const keyfile = createKeyfileCipher(join(d, 'k'));
    await new Vault(keyfile, store).put('approval', 'yes');
    // A keyring is in use, but this record decrypts with the fixed key (a program could have written it).
    const weakRecord: Cipher = { ...keyfile, decrypt: async (c) => ({ ...(await keyfile.decrypt(c)), shouldReEncrypt: true, weakKey: true }) };
    const vault = new Vault(weakRecord, store);
    expect(await vault.get('approval', undefined, { secureOnly: true })).toMatchObject({
      status: 'undecryptable',
      reason: expect.stringContaining('fixed, public key'),
    });
    expect(await vault.get('approval')).toEqual({ status: 'ok', value: 'yes' }); // an ordinary secret from the basic_text days is still usable
    // No keyring at all: even with the user's opt-in to weak storage, approvals stay in memory and disk is not believed.
    const weak: Cipher = { ...keyfile, isSecure: async () => false };
    const optedIn = new Vault(weak, store, { allowInsecurePersistence: () => true });
    expect(await optedIn.get('approval', undefined, { secureOnly: true })).toEqual({ status: 'missing' });
    await optedIn.put('approval-2', 'yes', { secureOnly: true });
    expect(optedIn.location('approval-2')).toBe('memory');
    expect(await optedIn.persists({ secureOnly: true })).toBe(false);
  });

  it('refuses records written without a binding (wave 1, or forged to look like it)', async () => {
    const d = dir();
    const store = createConfStore(d);
    const cipher = createKeyfileCipher(join(d, 'k'));
    store.set('vault', { legacy: { backend: 'aes-256-gcm-keyfile', ciphertext: await cipher.encrypt('bare-value'), updatedAt: 0 } });
    expect(await new Vault(cipher, store).get('legacy')).toMatchObject({ status: 'undecryptable', reason: expect.stringContaining('earlier version') });
  });

  it('keeps secrets in memory only when the backend is not secure, unless the user opted in', async () => {
    const d = dir();
    const weak: Cipher = { ...createKeyfileCipher(join(d, 'k')), isSecure: async () => false, backend: async () => 'safeStorage:basic_text' };
    const store = createConfStore(d);
    let optIn = false;
    const vault = new Vault(weak, store, { allowInsecurePersistence: () => optIn });
    await vault.put('t', 'session-only');
    expect(await vault.get('t')).toEqual({ status: 'ok', value: 'session-only' });
    expect(store.get('vault')).toBeUndefined();
    expect(await new Vault(weak, store).get('t')).toEqual({ status: 'missing' }); // a restart forgets it
    optIn = true;
    await vault.put('t', 'persisted');
    expect(Object.keys(store.get('vault') as object)).toEqual(['t']);
  });

  it('deletes by prefix', async () => {
    const d = dir();
    const vault = new Vault(createKeyfileCipher(join(d, 'k')), createConfStore(d));
    await vault.put('server:1:a', 'x');
    await vault.put('server:1:b', 'y');
    await vault.put('server:2:a', 'z');
    vault.deletePrefix('server:1:');
    expect([vault.has('server:1:a'), vault.has('server:1:b'), vault.has('server:2:a')]).toEqual([false, false, true]);
  });
});

describe('vault location', () => {
  it('says where each secret lives', async () => {
    const d = mkdtempSync(join(tmpdir(), 'switchboard-vault-'));
    let secure = false;
    const cipher: Cipher = { ...createKeyfileCipher(join(d, 'k')), isSecure: async () => secure };
    const vault = new Vault(cipher, createConfStore(d));
    await vault.put('a', 'x');
    expect(vault.location('a')).toBe('memory');
    secure = true;
    await vault.put('b', 'y');
    expect([vault.location('a'), vault.location('b'), vault.location('c')]).toEqual(['memory', 'disk', undefined]);
  });
});
