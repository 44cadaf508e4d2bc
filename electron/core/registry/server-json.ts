import { z } from 'zod';

// The registry's documents, read leniently but bounded: every string is capped,
// every list is cut, and anything undeclared is dropped. A malformed entry is
// skipped on its own (see client.ts); it never hides the others.

const MAX_STRING = 4096;
const str = (max = MAX_STRING) => z.string().max(max);
/** A list of which only the first `max` items are kept; a bad item is left out, not fatal. */
const capped = <T extends z.ZodTypeAny>(item: T, max: number) =>
  z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items
        .slice(0, max)
        .map((i) => item.safeParse(i))
        .flatMap((r) => (r.success ? [r.data as z.output<T>] : [])),
    );

/** An Input in the schema's terms: a value the user may be asked for. */
export const InputSpec = z.object({
  description: str(500).optional().catch(undefined),
  isRequired: z.boolean().optional().catch(undefined),
  isSecret: z.boolean().optional().catch(undefined),
  default: str().optional().catch(undefined),
  value: str().optional().catch(undefined),
  choices: capped(str(200), 32).optional(),
  format: str(40).optional().catch(undefined),
});
export type InputSpec = z.infer<typeof InputSpec>;

const Variables = z
  .record(str(64), InputSpec)
  .catch({})
  .transform((v) => Object.fromEntries(Object.entries(v).slice(0, 32)));

export const ArgumentSpec = InputSpec.extend({
  type: z.enum(['positional', 'named']),
  name: str(200).optional().catch(undefined),
  valueHint: str(200).optional().catch(undefined),
  isRepeated: z.boolean().optional().catch(undefined),
  variables: Variables.optional(),
});
export type ArgumentSpec = z.infer<typeof ArgumentSpec>;

export const KeyValueSpec = InputSpec.extend({ name: str(256), variables: Variables.optional() });
export type KeyValueSpec = z.infer<typeof KeyValueSpec>;

export const PackageSpec = z.object({
  registryType: str(40),
  registryBaseUrl: str(2048).optional().catch(undefined),
  identifier: str(2048),
  version: str(100).optional().catch(undefined),
  fileSha256: str(128).optional().catch(undefined),
  runtimeHint: str(100).optional().catch(undefined),
  transport: z.object({ type: str(40), url: str(2048).optional().catch(undefined), headers: capped(KeyValueSpec, 32).optional() }).catch({ type: 'stdio' }),
  runtimeArguments: capped(ArgumentSpec, 64).optional(),
  packageArguments: capped(ArgumentSpec, 64).optional(),
  environmentVariables: capped(KeyValueSpec, 64).optional(),
});
export type PackageSpec = z.infer<typeof PackageSpec>;

export const RemoteSpec = z.object({
  type: str(40),
  url: str(8192),
  headers: capped(KeyValueSpec, 32).optional(),
  variables: Variables.optional(),
});
export type RemoteSpec = z.infer<typeof RemoteSpec>;

export const ServerJson = z.object({
  name: str(200).min(1),
  title: str(100).optional().catch(undefined),
  // The schema caps it at 100; longer ones are cut for display rather than refused.
  description: z
    .string()
    .catch('')
    .transform((d) => (d.length > 300 ? `${d.slice(0, 297)}...` : d)),
  version: str(100).min(1),
  status: str(40).optional().catch(undefined),
  packages: capped(PackageSpec, 16).optional(),
  remotes: capped(RemoteSpec, 16).optional(),
});
export type ServerJson = z.infer<typeof ServerJson>;

const OFFICIAL = 'io.modelcontextprotocol.registry/official';

/** One `{server, _meta}` item of a list or version response; status from the official meta (or the older inline field). */
export function readItem(raw: unknown): { server: ServerJson; status: string } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const item = raw as { server?: unknown; _meta?: Record<string, unknown> };
  const parsed = ServerJson.safeParse(item.server ?? raw);
  if (!parsed.success) return undefined;
  const meta = item._meta?.[OFFICIAL];
  const metaStatus = typeof meta === 'object' && meta !== null ? (meta as { status?: unknown }).status : undefined;
  const status = typeof metaStatus === 'string' ? metaStatus.slice(0, 40) : (parsed.data.status ?? 'active');
  return { server: parsed.data, status };
}
