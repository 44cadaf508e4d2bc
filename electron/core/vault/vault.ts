import type { Cipher, KeyValueStore } from '../ports';
import { settingsKey, type SettingsAccessor } from '../settings';

// Encrypted secrets, stored as ciphertext in the settings store under `vault`.
//
// Every record is bound to its key: the plaintext that gets encrypted is an
// envelope {v, key, value}, checked on decrypt. A ciphertext copied to another
// key (a stdio server's token pasted in as another server's secret header, one
// server's token set moved to another) reads as "undecryptable", never as the
// value. The binding lives inside the plaintext, so it works for every Cipher
// (safeStorage has no additional-data input). The key names the purpose too
// (`server:<id>:env:<NAME>`, `server:<id>:header:<NAME>`, `auth:grant:...`;
// keys.ts builds every one).
//
// Records written before binding existed (wave 1) are refused the same way: a
// program that can write the settings file could have made any of them, and
// any "migrate once" marker would live in that same file. Those secrets are
// entered again (or the user signs in again) once.
//
// The backend recorded next to a record is a hint for the error message only:
// decryption is always attempted, because on Linux the recorded name is a guess
// that can change between launches while the key stays the same. When the
// cipher says the key rotated (`shouldReEncrypt`) the record is encrypted again.
//
// Without a secure backend (Linux basic_text or a fixed key) secrets stay in
// memory for this session only, unless the user opted in to weak storage.

export interface VaultRecord {
  backend: string;
  ciphertext: string;
  updatedAt: number;
}

export type VaultRead = { status: 'ok'; value: string } | { status: 'missing' } | { status: 'undecryptable'; reason: string };

export interface ReadOptions {
  /** Only records a real key protects: memory, or disk when the cipher is secure and the record was not written with a fixed key. */
  secureOnly?: boolean;
}

interface DecryptedEntry {
  ciphertext: string;
  value: string;
  weakKey: boolean;
}

const ENVELOPE_VERSION = 2;

interface Envelope {
  v: typeof ENVELOPE_VERSION;
  key: string;
  value: string;
}

function seal(key: string, value: string): string {
  const envelope: Envelope = { v: ENVELOPE_VERSION, key, value };
  return JSON.stringify(envelope);
}

/** The value when the plaintext is an envelope for this very key, else why not. */
function open(key: string, plaintext: string): { value: string } | { reason: string } {
  let envelope: unknown;
  try {
    envelope = JSON.parse(plaintext);
  } catch {
    envelope = undefined;
  }
  const e = envelope as Partial<Envelope> | undefined;
  if (!e || typeof e !== 'object' || e.v !== ENVELOPE_VERSION || typeof e.key !== 'string' || typeof e.value !== 'string')
    return { reason: 'it was stored by an earlier version of Switchboard without a binding to its entry; enter it again or sign in again' };
  if (e.key !== key) return { reason: 'it belongs to a different entry (copied from elsewhere in the settings file); it was not used' };
  return { value: e.value };
}

export class Vault {
  private readonly memory = new Map<string, string>();
  /** Decrypted values by key, valid while the stored ciphertext is the one they came from. */
  private readonly decrypted = new Map<string, DecryptedEntry>();

  /** The `vault` settings key: records by vault key. */
  private readonly stored: SettingsAccessor<Record<string, unknown>>;

  constructor(
    private readonly cipher: Cipher,
    store: KeyValueStore,
    private readonly options: { allowInsecurePersistence?: () => boolean; now?: () => number } = {},
  ) {
    this.stored = settingsKey(store, 'vault');
  }

  /** One read of every stored record, to pass to get()/location() when reading many keys at once. */
  snapshot(): Readonly<Record<string, VaultRecord>> {
    return this.records();
  }

  private records(): Record<string, VaultRecord> {
    // Each record is checked where it is read: a malformed one is "undecryptable", not fatal for the rest.
    return this.stored.read() as Record<string, VaultRecord>;
  }

  /**
   * Whether secrets written now reach disk (false: kept in memory for this session).
   * `secureOnly`: for records whose forgery would matter (launch approvals), the
   * user's opt-in to weak storage does not count: with a fixed key anyone can write them.
   */
  async persists(options: ReadOptions = {}): Promise<boolean> {
    if (await this.cipher.isSecure()) return true;
    return !options.secureOnly && Boolean(this.options.allowInsecurePersistence?.());
  }

  async put(key: string, value: string, options: ReadOptions = {}): Promise<void> {
    if (!(await this.persists(options))) {
      this.memory.set(key, value);
      this.deleteStored(key);
      return;
    }
    const record = await this.encrypt(key, value);
    const all = this.records();
    all[key] = record;
    this.stored.write(all);
    this.memory.delete(key);
    this.decrypted.set(key, { ciphertext: record.ciphertext, value, weakKey: false });
  }

  private async encrypt(key: string, value: string): Promise<VaultRecord> {
    return { backend: await this.cipher.backend(), ciphertext: await this.cipher.encrypt(seal(key, value)), updatedAt: (this.options.now ?? Date.now)() };
  }

  async get(key: string, snapshot: Readonly<Record<string, VaultRecord>> = this.records(), options: ReadOptions = {}): Promise<VaultRead> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined) return { status: 'ok', value: inMemory };
    const record = Object.hasOwn(snapshot, key) ? snapshot[key] : undefined;
    if (!record || typeof record !== 'object') return { status: 'missing' };
    // Without a real key, anyone could have written what is on disk.
    if (options.secureOnly && !(await this.cipher.isSecure())) return { status: 'missing' };
    if (typeof record.ciphertext !== 'string') return { status: 'undecryptable', reason: 'the stored record is malformed' };
    const cached = this.decrypted.get(key);
    if (cached?.ciphertext === record.ciphertext) return this.checked(cached, options);
    let plaintext: string;
    let shouldReEncrypt: boolean;
    let weakKey: boolean;
    try {
      ({ plaintext, shouldReEncrypt, weakKey = false } = await this.cipher.decrypt(record.ciphertext));
    } catch {
      const current = await this.cipher.backend();
      const hint =
        typeof record.backend === 'string' && record.backend !== current
          ? ` (it was encrypted by ${record.backend.slice(0, 100)}; the current backend is ${current})`
          : '';
      return { status: 'undecryptable', reason: `the stored ciphertext no longer decrypts${hint}` };
    }
    const opened = open(key, plaintext);
    if ('reason' in opened) return { status: 'undecryptable', reason: opened.reason };
    const entry = { ciphertext: record.ciphertext, value: opened.value, weakKey };
    this.decrypted.set(key, entry);
    if (weakKey && options.secureOnly) return this.checked(entry, options); // never launder a possible forgery by re-encrypting it
    if (shouldReEncrypt) await this.reEncrypt(key, record.ciphertext, opened.value).catch(() => undefined);
    return { status: 'ok', value: opened.value };
  }

  private checked(entry: DecryptedEntry, options: ReadOptions): VaultRead {
    if (entry.weakKey && options.secureOnly)
      return {
        status: 'undecryptable',
        reason: 'it was encrypted with a fixed, public key (no keyring at the time), so another program could have written it',
      };
    return { status: 'ok', value: entry.value };
  }

  /** The key rotated: store the value under the new key, unless the record changed meanwhile. */
  private async reEncrypt(key: string, oldCiphertext: string, value: string): Promise<void> {
    if (!(await this.persists())) return;
    const record = await this.encrypt(key, value);
    const all = this.records();
    if (all[key]?.ciphertext !== oldCiphertext) return;
    all[key] = record;
    this.stored.write(all);
    this.decrypted.set(key, { ciphertext: record.ciphertext, value, weakKey: false });
  }

  /** Convenience: the value or undefined (missing and undecryptable alike). */
  async read(key: string): Promise<string | undefined> {
    const result = await this.get(key);
    return result.status === 'ok' ? result.value : undefined;
  }

  /** Where a secret lives now: encrypted on disk, in memory for this session, or nowhere. */
  location(key: string, snapshot: Readonly<Record<string, VaultRecord>> = this.records()): 'disk' | 'memory' | undefined {
    if (this.memory.has(key)) return 'memory';
    return Object.hasOwn(snapshot, key) ? 'disk' : undefined;
  }

  has(key: string): boolean {
    return this.memory.has(key) || key in this.records();
  }

  delete(key: string): void {
    this.memory.delete(key);
    this.decrypted.delete(key);
    this.deleteStored(key);
  }

  /** Deletes every key with this prefix (a server's secrets when it is removed). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.memory.keys()]) if (key.startsWith(prefix)) this.memory.delete(key);
    for (const key of [...this.decrypted.keys()]) if (key.startsWith(prefix)) this.decrypted.delete(key);
    const all = this.records();
    let changed = false;
    for (const key of Object.keys(all)) {
      if (!key.startsWith(prefix)) continue;
      delete all[key];
      changed = true;
    }
    if (changed) this.stored.write(all);
  }

  private deleteStored(key: string): void {
    const all = this.records();
    if (key in all) {
      delete all[key];
      this.stored.write(all);
    }
  }
}
