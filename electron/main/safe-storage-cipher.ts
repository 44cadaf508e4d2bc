import { safeStorage } from 'electron';
import type { Cipher } from '../core/ports';

// The Cipher port over Electron safeStorage's async API (the sync one is
// deprecated in Electron 45). Linux without a keyring gives `basic_text`, a
// hard-coded password: we report it as not secure so the vault keeps secrets in
// memory unless the user opts in.

export function createSafeStorageCipher(): Cipher {
  const backend = async (): Promise<string> => {
    if (process.platform === 'darwin') return 'safeStorage:keychain';
    if (process.platform === 'win32') return 'safeStorage:dpapi';
    return `safeStorage:${safeStorage.getSelectedStorageBackend()}`;
  };
  return {
    backend,
    async isSecure() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
      const name = await backend();
      return !name.endsWith(':basic_text') && !name.endsWith(':unknown');
    },
    async encrypt(plaintext) {
      return (await safeStorage.encryptStringAsync(plaintext)).toString('base64');
    },
    async decrypt(ciphertext) {
      const { result } = await safeStorage.decryptStringAsync(Buffer.from(ciphertext, 'base64'));
      return result;
    },
  };
}
