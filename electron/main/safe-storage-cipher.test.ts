import { describe, expect, it, vi } from 'vitest';

// The safeStorage adapter against a stand-in `electron` module (the binary cannot
// run here). The stand-in tags ciphertext the way Chromium does: "v10" for the
// fixed-key providers (basic_text, the Posix fallback), "v11" for a keyring key.

const fake = { backend: 'gnome_libsecret', tag: 'v11', rotate: false };
vi.mock('electron', () => ({
  safeStorage: {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => fake.backend,
    encryptStringAsync: async (s: string) => Buffer.from(`${fake.tag}${s}`),
    decryptStringAsync: async (b: Buffer) => ({ result: b.toString().slice(3), shouldReEncrypt: fake.rotate }),
  },
}));

const { createSafeStorageCipher } = await import('./safe-storage-cipher');
const linux = process.platform === 'linux';

describe('safeStorage cipher', () => {
  it('passes shouldReEncrypt through so the vault can save under the new key', async () => {
    const cipher = createSafeStorageCipher();
    const text = await cipher.encrypt('tok');
    expect(await cipher.decrypt(text)).toEqual({ plaintext: 'tok', shouldReEncrypt: false });
    fake.rotate = true;
    expect(await cipher.decrypt(text)).toEqual({ plaintext: 'tok', shouldReEncrypt: true });
    fake.rotate = false;
  });

  it.runIf(linux)('treats the fixed-key fallback as not secure even when the backend name says keyring', async () => {
    fake.tag = 'v10';
    expect(await createSafeStorageCipher().isSecure()).toBe(false);
    fake.tag = 'v11';
    expect(await createSafeStorageCipher().isSecure()).toBe(true);
  });

  it.runIf(linux)('flags a record written with the fixed key, which Linux still decrypts when a keyring is in use', async () => {
    const cipher = createSafeStorageCipher();
    fake.tag = 'v10';
    const forged = await cipher.encrypt('x');
    fake.tag = 'v11';
    expect(await cipher.decrypt(forged)).toMatchObject({ plaintext: 'x', weakKey: true });
    expect((await cipher.decrypt(await cipher.encrypt('y'))).weakKey).toBeUndefined();
  });

  it.runIf(linux)('does not take a keyring-looking ciphertext as proof when the backend name is basic_text', async () => {
    fake.backend = 'basic_text';
    expect(await createSafeStorageCipher().isSecure()).toBe(false);
    fake.backend = 'gnome_libsecret';
  });
});
