import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { GatewayServerAccess } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { KeyValueStore } from '../ports';
import { settingsKey } from '../settings';
import { vaultKey, type Vault } from '../vault';

// The gateway's clients: names, reachable servers and tool filters in the
// settings file; each token's SHA-256 in the vault (secure storage only), so a
// program that edits the settings file cannot add a client whose token it knows.
// The token itself is shown once and never stored.

export interface GatewayClient {
  id: string;
  name: string;
  createdAt: number;
  servers: GatewayServerAccess[];
  /** Serves one combined endpoint (/mcp) with all its servers' tools, namespaced; absent: off. */
  combined?: boolean;
}

const sha256 = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** 32 random bytes, base64url: what a client sends as `Authorization: Bearer <token>`. */
/** How long a read of the clients is used before the settings file is read again (edits by other programs). */
const CLIENTS_FRESH_MS = 1000;

export function newToken(): string {
  return `sbg_${randomBytes(32).toString('base64url')}`;
}

export class GatewayClients {
  /** Token hashes by client id, read from the vault at load (verifying a request never decrypts). */
  private readonly hashes = new Map<string, Buffer>();
  private loaded?: Promise<void>;
  private cache?: { at: number; clients: GatewayClient[] };

  constructor(private readonly deps: { store: KeyValueStore; vault: Vault; now: () => number }) {}

  private settings() {
    return settingsKey(this.deps.store, 'gateway');
  }

  /**
   * The clients, read from the settings file at most once per CLIENTS_FRESH_MS (each request reads them: a parse of
   * the whole file per request was a third of the gateway's own time); our own writes refresh at once.
   */
  list(): GatewayClient[] {
    const now = performance.now();
    if (!this.cache || now - this.cache.at >= CLIENTS_FRESH_MS) this.cache = { at: now, clients: this.settings().read().clients };
    return this.cache.clients;
  }

  private write(update: (clients: GatewayClient[]) => GatewayClient[]): void {
    const settings = this.settings();
    const current = settings.read();
    this.cache = undefined;
    settings.write({ ...current, clients: update(current.clients) });
  }

  get(id: string): GatewayClient {
    const client = this.list().find((c) => c.id === id);
    if (!client) throw new IpcError('NOT_FOUND', 'This gateway client no longer exists.');
    return client;
  }

  /** Reads every client's token hash from the vault once. */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      for (const client of this.list()) {
        const read = await this.deps.vault.get(vaultKey.gatewayTokenHash(client.id), undefined, { secureOnly: true });
        if (read.status === 'ok' && /^[0-9a-f]{64}$/.test(read.value)) this.hashes.set(client.id, Buffer.from(read.value, 'hex'));
      }
    })();
    return this.loaded;
  }

  hasToken(id: string): boolean {
    return this.hashes.has(id);
  }

  /** The client whose token this is. Every stored hash is compared, in constant time, whatever matches first. */
  verify(token: string | undefined): GatewayClient | undefined {
    if (!token) return undefined;
    const presented = sha256(token);
    let found: string | undefined;
    for (const [id, hash] of this.hashes) if (timingSafeEqual(presented, hash) && found === undefined) found = id;
    return found === undefined ? undefined : this.list().find((c) => c.id === found);
  }

  async create(name: string, servers: GatewayServerAccess[], combined = false): Promise<{ client: GatewayClient; token: string }> {
    await this.load();
    const client: GatewayClient = { id: randomUUID(), name, createdAt: this.deps.now(), servers: dedupe(servers), ...(combined ? { combined } : {}) };
    const token = await this.setToken(client.id);
    this.write((clients) => [...clients, client]);
    return { client, token };
  }

  update(id: string, patch: { name?: string; servers?: GatewayServerAccess[]; combined?: boolean }): GatewayClient {
    const existing = this.settings()
      .read()
      .clients.find((c) => c.id === id);
    if (!existing) throw new IpcError('NOT_FOUND', 'This gateway client no longer exists.');
    const next: GatewayClient = {
      ...existing,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.servers ? { servers: dedupe(patch.servers) } : {}),
      ...(patch.combined !== undefined ? { combined: patch.combined } : {}),
    };
    this.write((clients) => clients.map((c) => (c.id === id ? next : c)));
    return next;
  }

  /** A new token; the old one stops working at once. */
  async rotate(id: string): Promise<{ client: GatewayClient; token: string }> {
    await this.load();
    const client = this.get(id);
    return { client, token: await this.setToken(id) };
  }

  revoke(id: string): void {
    this.hashes.delete(id);
    this.deps.vault.delete(vaultKey.gatewayTokenHash(id));
    this.write((clients) => clients.filter((c) => c.id !== id));
  }

  private async setToken(id: string): Promise<string> {
    const token = newToken();
    const hash = sha256(token);
    await this.deps.vault.put(vaultKey.gatewayTokenHash(id), hash.toString('hex'), { secureOnly: true });
    this.hashes.set(id, hash);
    return token;
  }
}

function dedupe(servers: GatewayServerAccess[]): GatewayServerAccess[] {
  const seen = new Map<string, GatewayServerAccess>();
  for (const s of servers)
    seen.set(s.serverId, { serverId: s.serverId, allow: [...new Set(s.allow)], deny: [...new Set(s.deny)], hideDestructive: s.hideDestructive });
  return [...seen.values()];
}
