import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { KeyValueStore } from '../ports';

// Server configurations as stored in settings. Secret values (env vars,
// headers, OAuth client secrets) are not here: the vault holds them under
// keys derived from the server id. Entries that fail validation (a hand-edited
// file) are kept in the file untouched and reported, never dropped.

const StoredEnv = z.object({ name: z.string().min(1), secret: z.boolean(), value: z.string().optional() });

export const StoredStdioServer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()),
  cwd: z.string().optional(),
  env: z.array(StoredEnv),
  connectTimeoutSec: z.number().int().positive().optional(),
});

export const StoredHttpServer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  transport: z.literal('http'),
  url: z.string().min(1),
  mode: z.enum(['auto', 'streamable-http', 'sse']),
  headers: z.array(StoredEnv),
  oauthClient: z
    .object({ clientId: z.string(), scopes: z.string().optional(), hasClientSecret: z.boolean(), hasPrivateKey: z.boolean().default(false), grantType: z.enum(['authorization_code', 'client_credentials']).default('authorization_code') })
    .optional(),
  omitResourceParameter: z.boolean(),
  clientMetadataUrl: z.string().optional(),
  connectTimeoutSec: z.number().int().positive().optional(),
});

export const StoredServer = z.discriminatedUnion('transport', [StoredStdioServer, StoredHttpServer]);
export type StoredServer = z.infer<typeof StoredServer>;
export type StoredStdioServer = z.infer<typeof StoredStdioServer>;
export type StoredHttpServer = z.infer<typeof StoredHttpServer>;

export interface InvalidEntry {
  index: number;
  /** The entry's name, when it has a readable one. */
  name?: string;
  reason: string;
}

export class ServerRepo {
  constructor(private readonly store: KeyValueStore) {}

  private raw(): unknown[] {
    const value = this.store.get('servers');
    return Array.isArray(value) ? value : [];
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
        invalid.push({ index, ...(typeof name === 'string' && name ? { name: name.slice(0, 100) } : {}), reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') });
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
    this.store.set('servers', raw);
  }

  remove(id: string): boolean {
    const raw = this.raw();
    const next = raw.filter((entry) => (entry as { id?: unknown })?.id !== id);
    if (next.length === raw.length) return false;
    this.store.set('servers', next);
    return true;
  }

  approvals(): Record<string, string> {
    const value = this.store.get('approvals');
    return value && typeof value === 'object' ? { ...(value as Record<string, string>) } : {};
  }

  setApproval(id: string, hash: string | undefined): void {
    const approvals = this.approvals();
    if (hash) approvals[id] = hash;
    else delete approvals[id];
    this.store.set('approvals', approvals);
  }
}
