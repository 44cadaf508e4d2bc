import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../ports';
import { settingsKey, StoredServer, type SettingsAccessor } from '../settings';

// Server configurations as stored in settings. Secret values (env vars,
// headers, OAuth client secrets) are not here: the vault holds them under
// keys derived from the server id. Entries that fail validation (a hand-edited
// file) are kept in the file untouched and reported, never dropped. The
// schemas are in settings/schema.ts with every other settings key.

export { StoredServer, StoredStdioServer, StoredHttpServer } from '../settings';

export interface InvalidEntry {
  index: number;
  /** The entry's name, when it has a readable one. */
  name?: string;
  reason: string;
}

export class ServerRepo {
  private readonly servers: SettingsAccessor<unknown[]>;
  private readonly legacyApprovals: SettingsAccessor<Record<string, unknown>>;

  constructor(store: KeyValueStore) {
    this.servers = settingsKey(store, 'servers');
    this.legacyApprovals = settingsKey(store, 'approvals');
  }

  private raw(): unknown[] {
    return this.servers.read();
  }

  /** Re-read from disk every time: another process may have edited the file. */
  list(): { servers: StoredServer[]; invalid: InvalidEntry[] } {
    const servers: StoredServer[] = [];
    const invalid: InvalidEntry[] = [];
    this.raw().forEach((entry, index) => {
      const parsed = StoredServer.safeParse(entry);
      if (parsed.success) servers.push(parsed.data);
      else {
        const name = (entry as { name?: unknown } | null)?.name;
        invalid.push({
          index,
          ...(typeof name === 'string' && name ? { name: name.slice(0, 100) } : {}),
          reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; '),
        });
      }
    });
    return { servers, invalid };
  }

  get(id: string): StoredServer | undefined {
    return this.list().servers.find((s) => s.id === id);
  }

  newId(): string {
    return randomUUID();
  }

  upsert(server: StoredServer): void {
    const raw = this.raw();
    const index = raw.findIndex((entry) => (entry as { id?: unknown })?.id === server.id);
    if (index >= 0) raw[index] = server;
    else raw.push(server);
    this.servers.write(raw);
  }

  remove(id: string): boolean {
    const raw = this.raw();
    const next = raw.filter((entry) => (entry as { id?: unknown })?.id !== id);
    if (next.length === raw.length) return false;
    this.servers.write(next);
    return true;
  }

  /** Wave-1 approvals: only whether one exists for a server matters (see launch-approvals.ts). */
  approvals(): Record<string, unknown> {
    return this.legacyApprovals.read();
  }

  setApproval(id: string, hash: string | undefined): void {
    const approvals = this.approvals();
    if (hash) approvals[id] = hash;
    else delete approvals[id];
    this.legacyApprovals.write(approvals);
  }
}
