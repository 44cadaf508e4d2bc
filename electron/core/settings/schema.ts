import { z } from 'zod';
import type { KeyValueStore } from '../ports';

// Every top-level key of the settings file, declared once with its schema. The
// file is hostile input (any program running as the user can edit it), so every
// read goes through a schema: a value that does not validate reads as the key's
// default and is left in the file untouched until we write the key again.
// Servers are checked entry by entry instead (server-repo.ts): an entry that
// does not validate is kept in the file and reported, never dropped.
//
// The store has no dot notation: `auth.grants` is one literal key.

const StoredSecretable = z.object({ name: z.string().min(1), secret: z.boolean(), value: z.string().optional() });

export const StoredStdioServer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  transport: z.literal('stdio'),
  command: z.string().min(1),
  args: z.array(z.string()),
  cwd: z.string().optional(),
  env: z.array(StoredSecretable),
  connectTimeoutSec: z.number().int().positive().optional(),
  /** Absent in files written before the protocol setting existed: Automatic. */
  protocol: z.enum(['auto', 'modern', 'legacy']).optional(),
});

export const StoredHttpServer = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  enabled: z.boolean(),
  transport: z.literal('http'),
  url: z.string().min(1),
  mode: z.enum(['auto', 'streamable-http', 'sse']),
  headers: z.array(StoredSecretable),
  oauthClient: z
    .object({
      clientId: z.string(),
      scopes: z.string().optional(),
      hasClientSecret: z.boolean(),
      hasPrivateKey: z.boolean().default(false),
      grantType: z.enum(['authorization_code', 'client_credentials', 'workload_identity', 'enterprise']).default('authorization_code'),
      /** workload_identity: where the JWT is read (path or variable name); a pasted token is in the vault. */
      workloadToken: z
        .object({ source: z.enum(['file', 'env', 'stored']), path: z.string().optional(), envVar: z.string().optional(), hasValue: z.boolean() })
        .optional(),
      /** enterprise: the IdP (its client secret is in the vault). */
      enterprise: z
        .object({ idpIssuer: z.string(), idpTokenEndpoint: z.string().optional(), idpClientId: z.string(), hasIdpClientSecret: z.boolean() })
        .optional(),
    })
    .optional(),
  omitResourceParameter: z.boolean(),
  clientMetadataUrl: z.string().optional(),
  connectTimeoutSec: z.number().int().positive().optional(),
  /** Absent in files written before the protocol setting existed: Automatic. */
  protocol: z.enum(['auto', 'modern', 'legacy']).optional(),
});

/** One entry of `servers`. Secret values are not here: the vault holds them (see vault/keys.ts). */
export const StoredServer = z.discriminatedUnion('transport', [StoredStdioServer, StoredHttpServer]);
export type StoredServer = z.infer<typeof StoredServer>;
export type StoredStdioServer = z.infer<typeof StoredStdioServer>;
export type StoredHttpServer = z.infer<typeof StoredHttpServer>;

export const Preferences = z
  .object({
    /** Opt-in to persisting secrets although the OS offers no secure storage (Linux basic_text). */
    allowInsecureSecretStorage: z.boolean().optional().catch(undefined),
  })
  // Keys a newer version added survive our writes.
  .passthrough();
export type Preferences = z.infer<typeof Preferences>;

const GatewayAccess = z.object({
  serverId: z.string().min(1).max(64),
  allow: z.array(z.string().max(1000)).max(1000),
  deny: z.array(z.string().max(1000)).max(1000),
  hideDestructive: z.boolean(),
});

export const GatewaySettings = z
  .object({
    enabled: z.boolean(),
    port: z.number().int().min(1024).max(65535).optional(),
    clients: z
      .array(
        z.object({
          id: z.string().min(1).max(64),
          name: z.string().min(1).max(100),
          createdAt: z.number(),
          servers: z.array(GatewayAccess).max(500),
          /** One combined endpoint (/mcp) for all its servers; absent: off. */
          combined: z.boolean().optional(),
        }),
      )
      .max(200),
  })
  .passthrough();
export type GatewaySettings = z.infer<typeof GatewaySettings>;

/** A field that does not validate reads as unset, without resetting its neighbours. */
const loose = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Desktop conventions (desktop/): notification switches, launch at login, the main window's last bounds (checked again before use). */
export const DesktopPreferences = z
  .object({
    notifications: loose(
      z
        .object({
          serverCrashed: loose(z.boolean()),
          signInNeeded: loose(z.boolean()),
          toolsChanged: loose(z.boolean()),
          clientConfigChanged: loose(z.boolean()),
        })
        .passthrough(),
    ),
    launchAtLogin: loose(z.boolean()),
    windowBounds: loose(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), maximized: z.boolean().optional() }).passthrough()),
  })
  .passthrough();
export type DesktopPreferences = z.infer<typeof DesktopPreferences>;
/**
 * Auto-update: the off switch and the channel, nothing else. The feed URL is not a
 * setting (it is fixed in the app's app-update.yml at build time), so a program
 * that edits this file cannot point the updater at another host. A bad field
 * reads as its default without hiding the other.
 */
export const UpdateSettings = z
  .object({ enabled: z.boolean().catch(true), channel: z.enum(['stable', 'beta']).catch('stable') })
  // Keys a newer version added survive our writes (and are never read).
  .passthrough();
export type UpdateSettings = z.infer<typeof UpdateSettings>;

/** A map keyed by id whose values their owner checks one by one (a malformed one must not hide the others). */
const recordOfUnknown = z.record(z.string(), z.unknown());

export const settingsSchema = {
  /** The layout version (settings.ts runs the migrations). */
  schemaVersion: { schema: z.number().int().min(0), default: () => 0 },
  /** Server configurations; each entry validates against StoredServer on its own. */
  servers: { schema: z.array(z.unknown()), default: (): unknown[] => [] },
  /** Wave-1 launch approvals (server id → hash). Never honoured; only explain why we ask again. */
  approvals: { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  preferences: { schema: Preferences, default: (): Preferences => ({}) },
  /** Vault records by vault key (ciphertext; the vault checks each record). */
  vault: { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  /** OAuth grants by server id (no tokens: those are in the vault). */
  'auth.grants': { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  /** Registered OAuth clients by client key (no secrets: those are in the vault). */
  'auth.clients': { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  /** Roots the user gave each server, by server id. */
  inspectRoots: { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  /** The MCP Registry to browse (a private one for enterprises); absent: the public one. */
  registry: { schema: z.object({ url: z.string().max(2048).optional() }).passthrough(), default: (): { url?: string } => ({}) },
  /** What each watched client config file held when last accepted, by path (client-configs/watch.ts checks each entry). Never env or header values. */
  'clientConfigs.baselines': { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  /** The local gateway: off by default; its clients (token hashes are in the vault, never here). */
  gateway: { schema: GatewaySettings, default: (): GatewaySettings => ({ enabled: false, clients: [] }) },
  /** Tasks each server runs for us, by server id (tasks/task-store.ts checks each entry, bounds and prunes them). */
  'tasks.byServer': { schema: recordOfUnknown, default: (): Record<string, unknown> => ({}) },
  desktop: { schema: DesktopPreferences, default: (): DesktopPreferences => ({}) },
  /** Auto-update: on by default (checks only; downloading and installing ask first), stable channel. */
  updates: { schema: UpdateSettings, default: (): UpdateSettings => ({ enabled: true, channel: 'stable' }) },
} satisfies Record<string, { schema: z.ZodType; default: () => unknown }>;

export type SettingsKey = keyof typeof settingsSchema;
export type SettingsValue<K extends SettingsKey> = z.output<(typeof settingsSchema)[K]['schema']>;

export interface SettingsAccessor<T> {
  /** The stored value, or the default when it is absent or does not validate. */
  read(): T;
  /** Whether a value is stored and validates. */
  isValid(): boolean;
  write(value: T): void;
}

/** Typed read/write of one top-level key through the KeyValueStore port. Every read validates again (the file may have been edited). */
export function settingsKey<K extends SettingsKey>(store: KeyValueStore, key: K): SettingsAccessor<SettingsValue<K>> {
  const def = settingsSchema[key];
  const parse = () => def.schema.safeParse(store.get(key));
  return {
    read: () => {
      const parsed = parse();
      return (parsed.success ? parsed.data : def.default()) as SettingsValue<K>;
    },
    isValid: () => parse().success,
    write: (value) => store.set(key, value),
  };
}
