import type { Cipher, KeyValueStore } from '../ports';

// Encrypted secrets, stored as ciphertext in the settings store under `vault`.
// Each record remembers the backend that encrypted it, so a record written by
// another backend (a keyring change) reads as "undecryptable", never as garbage.
//
// Without a secure backend (Linux basic_text) secrets stay in memory for this
// session only, unless the user opted in to weak storage.

export interface VaultRecord {
  backend: string;
  ciphertext: string;
  updatedAt: number;
}

export type VaultRead = { status: 'ok'; value: string } | { status: 'missing' } | { status: 'undecryptable'; reason: string };

const KEY = 'vault';

export class Vault {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly cipher: Cipher,
    private readonly store: KeyValueStore,
    private readonly options: { allowInsecurePersistence?: () => boolean; now?: () => number } = {},
  ) {}

  private records(): Record<string, VaultRecord> {
    const value = this.store.get(KEY);
    return value && typeof value === 'object' ? { ...(value as Record<string, VaultRecord>) } : {};
  }

  /** Whether secrets written now reach disk (false: kept in memory for this session). */
  async persists(): Promise<boolean> {
    return (await this.cipher.isSecure()) || Boolean(this.options.allowInsecurePersistence?.());
  }

  async put(key: string, value: string): Promise<void> {
    if (!(await this.persists())) {
      this.memory.set(key, value);
      this.deleteStored(key);
      return;
    }
    const record: VaultRecord = { backend: await this.cipher.backend(), ciphertext: await this.cipher.encrypt(value), updatedAt: (this.options.now ?? Date.now)() };
    const all = this.records();
    all[key] = record;
    this.store.set(KEY, all);
    this.memory.delete(key);
  }

  async get(key: string): Promise<VaultRead> {
    const inMemory = this.memory.get(key);
    if (inMemory !== undefined) return { status: 'ok', value: inMemory };
    const record = this.records()[key];
    if (!record) return { status: 'missing' };
    const backend = await this.cipher.backend();
    if (record.backend !== backend) return { status: 'undecryptable', reason: `encrypted by ${record.backend}, current backend is ${backend}` };
    try {
      return { status: 'ok', value: await this.cipher.decrypt(record.ciphertext) };
    } catch {
      return { status: 'undecryptable', reason: 'the stored ciphertext no longer decrypts' };
    }
  }

  /** Convenience: the value or undefined (missing and undecryptable alike). */
  async read(key: string): Promise<string | undefined> {
    const result = await this.get(key);
    return result.status === 'ok' ? result.value : undefined;
  }

  /** Where a secret lives now: encrypted on disk, in memory for this session, or nowhere. */
  location(key: string): 'disk' | 'memory' | undefined {
    if (this.memory.has(key)) return 'memory';
    return key in this.records() ? 'disk' : undefined;
  }

  has(key: string): boolean {
    return this.memory.has(key) || key in this.records();
  }

  delete(key: string): void {
    this.memory.delete(key);
    this.deleteStored(key);
  }

  /** Deletes every key with this prefix (a server's secrets when it is removed). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.memory.keys()]) if (key.startsWith(prefix)) this.memory.delete(key);
    const all = this.records();
    let changed = false;
    for (const key of Object.keys(all)) {
      if (!key.startsWith(prefix)) continue;
      delete all[key];
      changed = true;
    }
    if (changed) this.store.set(KEY, all);
  }

  private deleteStored(key: string): void {
    const all = this.records();
    if (key in all) {
      delete all[key];
      this.store.set(KEY, all);
    }
  }
}
