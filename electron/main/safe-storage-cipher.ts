import { safeStorage } from 'electron';
import type { Cipher } from '../core/ports';

// The Cipher port over Electron safeStorage's async API (the sync one is
// deprecated in Electron 45).
//
// On Linux, getSelectedStorageBackend() names the *sync* backend, guessed from
// the desktop environment. The async encryptor picks its own key provider
// (Secret Portal, Freedesktop Secret Service, then a fallback with a fixed,
// public key), so the name is only a hint. What Electron 45 does expose is the
// ciphertext itself: Chromium prefixes it with the key provider's tag, and the
// fixed-key providers (basic_text and the Posix/Linux fallbacks) all write
// "v10". A probe encryption therefore tells us whether the key is real; a fixed
// key counts as not secure, exactly like basic_text, so the vault keeps secrets
// in memory unless the user opts in.

const FIXED_KEY_TAG = 'v10';

export function createSafeStorageCipher(): Cipher {
  const backend = async (): Promise<string> => {
    if (process.platform === 'darwin') return 'safeStorage:keychain';
    if (process.platform === 'win32') return 'safeStorage:dpapi';
    return `safeStorage:${safeStorage.getSelectedStorageBackend()}`;
  };
  let fixedKey: Promise<boolean> | undefined;
  const usesFixedKey = (): Promise<boolean> => {
    if (process.platform !== 'linux') return Promise.resolve(false);
    // One probe per run: the async encryptor picks its provider once.
    fixedKey ??= safeStorage
      .encryptStringAsync('switchboard-probe')
      .then((b) => b.subarray(0, FIXED_KEY_TAG.length).toString('latin1') === FIXED_KEY_TAG)
      .catch(() => true);
    return fixedKey;
  };
  return {
    backend,
    async isSecure() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      const name = await backend();
      if (name.endsWith(':basic_text') || name.endsWith(':unknown')) return false;
      return !(await usesFixedKey());
    },
    async encrypt(plaintext) {
      return (await safeStorage.encryptStringAsync(plaintext)).toString('base64');
    },
    async decrypt(ciphertext) {
      const bytes = Buffer.from(ciphertext, 'base64');
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(bytes);
      // Even with a keyring, Linux still decrypts "v10" data with the fixed key, so a program could forge it.
      const weakKey = process.platform === 'linux' && bytes.subarray(0, FIXED_KEY_TAG.length).toString('latin1') === FIXED_KEY_TAG;
      return { plaintext: result, shouldReEncrypt: Boolean(shouldReEncrypt), ...(weakKey ? { weakKey } : {}) };
    },
  };
}
