import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Cipher } from '../ports';

// AES-256-GCM with a random key in a 0600 file. Used by Node tests, the e2e bridge
// and the headless conformance client; the app uses Electron safeStorage instead.

const VERSION = 'v1';

export function createKeyfileCipher(keyPath: string): Cipher {
  let key: Buffer | undefined;
  const loadKey = (): Buffer => {
    if (key) return key;
    if (existsSync(keyPath)) {
      key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
      if (key.length !== 32) throw new Error(`Key file ${keyPath} is corrupt (expected 32 bytes)`);
    } else {
      mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
      key = randomBytes(32);
      writeFileSync(keyPath, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(keyPath, 0o600);
    return key;
  };
  return {
    backend: async () => 'aes-256-gcm-keyfile',
    isSecure: async () => true,
    async encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    async decrypt(ciphertext) {
      const [version, iv, tag, body] = ciphertext.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Unrecognised ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      return { plaintext, shouldReEncrypt: false };
    },
  };
}
