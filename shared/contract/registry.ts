import { z } from 'zod';
import { method } from './define';
import { CandidateBecomes } from './client-configs';
import { ServerView } from './servers';

// The MCP Registry (its public v0.1 REST API, or a private one with the same
// API): browse, then install a server.json as a Switchboard server. Everything
// here comes from the registry and is hostile input: the core bounds it, maps it
// to argv arrays (never a shell string) and adds the server through the servers
// feature, so the launch approval still shows the exact command before it runs.

const RegistryName = z.string().min(1).max(200);
const RegistryVersion = z.string().min(1).max(100);

export const RegistryPackageSummary = z.object({
  registryType: z.string(),
  identifier: z.string(),
  version: z.string().optional(),
  transport: z.string(),
});

export const RegistryEntry = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string(),
  version: z.string(),
  status: z.string(),
  packages: z.array(RegistryPackageSummary),
  remotes: z.array(z.object({ type: z.string(), url: z.string() })),
});
export type RegistryEntry = z.infer<typeof RegistryEntry>;

/** Something the user is asked for: an env var, a header, or an argument's `{placeholder}`. */
export const RegistryVariable = z.object({
  /** Unique within an option: `env:NAME`, `header:Name` or `arg:name`. */
  key: z.string(),
  name: z.string(),
  kind: z.enum(['env', 'header', 'arg']),
  description: z.string().optional(),
  required: z.boolean(),
  /** Goes to the vault; the form shows a password field. */
  secret: z.boolean(),
  default: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
export type RegistryVariable = z.infer<typeof RegistryVariable>;

export const RegistryInstallOption = z.object({
  /** Index into the option list (packages first, then remotes). */
  option: z.number().int().min(0),
  label: z.string(),
  kind: z.enum(['package', 'remote']),
  /** What it becomes, before the user's answers (no secret values). Absent when refused. */
  becomes: CandidateBecomes.optional(),
  variables: z.array(RegistryVariable),
  /** Why this option cannot be installed. */
  refused: z.string().optional(),
  /** mcpb: downloaded and checked against this SHA-256 before anything is added. */
  fileSha256: z.string().optional(),
});
export type RegistryInstallOption = z.infer<typeof RegistryInstallOption>;

export const RegistrySettings = z.object({ url: z.string(), defaultUrl: z.string() });
export type RegistrySettings = z.infer<typeof RegistrySettings>;

export const registryMethods = {
  /** One page of active entries; pass nextCursor back for the next one. */
  searchRegistry: method(
    z.object({ search: z.string().max(200).optional(), cursor: z.string().max(1024).optional() }),
    z.object({ entries: z.array(RegistryEntry), nextCursor: z.string().optional(), skipped: z.number().int() }),
  ),
  /** A server's active versions, newest as the registry lists them. */
  registryVersions: method(z.object({ name: RegistryName }), z.object({ versions: z.array(z.string()) })),
  registryInstallPlan: method(
    z.object({ name: RegistryName, version: RegistryVersion }),
    z.object({ name: z.string(), version: z.string(), description: z.string(), options: z.array(RegistryInstallOption) }),
  ),
  /** Re-reads the server.json, applies the answers, adds the server (still needs the launch approval to run). */
  installFromRegistry: method(
    z.object({
      name: RegistryName,
      version: RegistryVersion,
      option: z.number().int().min(0).max(64),
      values: z.record(z.string().max(200), z.string().max(64 * 1024)).default({}),
      serverName: z.string().trim().max(100).optional(),
    }),
    z.object({ server: ServerView }),
  ),
  getRegistrySettings: method(z.object({}), RegistrySettings),
  setRegistrySettings: method(z.object({ url: z.string().trim().max(2048) }), RegistrySettings),
};
