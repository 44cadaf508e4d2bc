import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The Electron binary cannot run here, so the thin adapters are tested against a
// stand-in `electron` module; the logic they guard lives in the core.
const backend = { value: 'gnome_libsecret' };
const sessionHooks: { permission?: (c: unknown, p: string, cb: (ok: boolean) => void, details: { requestingUrl?: string }) => void } = {};
vi.mock('electron', () => ({
  app: { on: vi.fn() },
  shell: { openExternal: vi.fn() },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof sessionHooks.permission) => (sessionHooks.permission = fn),
      setPermissionCheckHandler: vi.fn(),
    },
  },
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  safeStorage: {
    isAsyncEncryptionAvailable: async () => true,
    getSelectedStorageBackend: () => backend.value,
    encryptStringAsync: async (s: string) => Buffer.from(`enc:${s}`),
    decryptStringAsync: async (b: Buffer) => ({ result: b.toString().replace(/^enc:/, ''), shouldReEncrypt: false }),
  },
}));

const { senderAllowed } = await import('./ipc');
const { isAppUrl } = await import('./url-policy');
const { createSafeStorageCipher } = await import('./safe-storage-cipher');
const { hardenSession, permissionAllowed, CSP } = await import('./security');

const event = (senderFrame: unknown) => ({ senderFrame }) as never;

describe('IPC sender check', () => {
  it('accepts only the app page in the top frame', () => {
    expect(senderAllowed(event({ url: 'app://switchboard/index.html', parent: null }))).toBe(true);
    expect(senderAllowed(event(null))).toBe(false);
    expect(senderAllowed(event({ url: 'app://switchboard/index.html', parent: {} }))).toBe(false);
    expect(senderAllowed(event({ url: 'https://evil.example/', parent: null }))).toBe(false);
    expect(senderAllowed(event({ url: 'app://switchboard.evil/index.html', parent: null }))).toBe(false);
    expect(senderAllowed(event({ url: 'file:///etc/passwd', parent: null }))).toBe(false);
  });

  it('accepts the dev server origin only when one is configured', () => {
    expect(senderAllowed(event({ url: 'http://localhost:5173/', parent: null }))).toBe(false);
    expect(senderAllowed(event({ url: 'http://localhost:5173/', parent: null }), 'http://localhost:5173')).toBe(true);
    expect(senderAllowed(event({ url: 'http://localhost:5174/', parent: null }), 'http://localhost:5173')).toBe(false);
  });
});

describe('URL policy', () => {
  it('compares app URLs by parsed host, not by prefix', () => {
    expect(isAppUrl('app://switchboard/index.html')).toBe(true);
    expect(isAppUrl('app://switchboard.attacker.com/index.html')).toBe(false);
  });
});

describe('safeStorage cipher', () => {
  it('uses the async API and records the backend', async () => {
    const cipher = createSafeStorageCipher();
    const text = await cipher.encrypt('tok');
    expect(await cipher.decrypt(text)).toEqual({ plaintext: 'tok', shouldReEncrypt: false });
    if (process.platform === 'linux') expect(await cipher.backend()).toBe('safeStorage:gnome_libsecret');
    expect(await cipher.isSecure()).toBe(true);
  });

  it('treats basic_text as not secure on Linux', async () => {
    if (process.platform !== 'linux') return;
    backend.value = 'basic_text';
    expect(await createSafeStorageCipher().isSecure()).toBe(false);
    backend.value = 'gnome_libsecret';
  });
});

describe('session hardening', () => {
  it('denies every permission but clipboard writes from our own pages', () => {
    hardenSession();
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      sessionHooks.permission!({ getURL: () => requestingUrl }, permission, (ok) => (granted = ok), { requestingUrl });
      return granted;
    };
    expect(ask('media', 'app://switchboard/index.html')).toBe(false);
    expect(ask('clipboard-read', 'app://switchboard/index.html')).toBe(false);
    expect(ask('clipboard-sanitized-write', 'app://switchboard/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://auth.example.com/')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', 'app://switchboard')).toBe(true);
    expect(permissionAllowed('notifications', 'app://switchboard')).toBe(false);
  });

  it('keeps the CSP in index.html identical to the one the app:// handler sends', () => {
    const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).toContain("object-src 'none'");
  });
});
