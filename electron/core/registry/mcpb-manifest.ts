import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { RegistryVariable, StdioServerInput } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract/errors';
import type { Answers } from './launch-spec';

// An unpacked mcpb bundle's manifest.json → a stdio server. The manifest says
// how to launch (server.mcp_config: command, args, env) and what to ask the
// user (user_config). `${__dirname}` becomes the unpacked folder and
// `${user_config.KEY}` the user's answer, in one pass (an answer is never
// expanded again); anything else stays literal. Sensitive values go to the
// vault as env vars, never onto the command line. The command must be a bare
// runtime name or a file inside the bundle.

const MAX_MANIFEST_BYTES = 1024 * 1024;
const RUNTIMES = new Set(['node', 'python', 'python3', 'uv', 'uvx']);
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const SUBST = /\$\{(__dirname|user_config\.([A-Za-z0-9_-]{1,64}))\}/g;

const Str = z.string().max(4096);
const UserConfigOption = z.object({
  type: z.enum(['string', 'number', 'boolean', 'directory', 'file']),
  title: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  required: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  default: z.union([z.string().max(4096), z.number(), z.boolean(), z.array(z.string().max(4096)).max(100)]).optional(),
  multiple: z.boolean().optional(),
});

const Manifest = z.object({
  name: z.string().max(200).optional(),
  display_name: z.string().max(200).optional(),
  server: z.object({
    type: z.enum(['node', 'python', 'binary', 'uv']),
    entry_point: Str.optional(),
    mcp_config: z.object({
      command: Str.min(1),
      args: z.array(Str).max(200).optional(),
      env: z.record(z.string().max(200), Str).optional(),
    }),
  }),
  user_config: z.record(z.string(), UserConfigOption).optional(),
});
export type McpbManifest = z.infer<typeof Manifest>;

const refuse = (why: string) => new IpcError('VALIDATION', `Refusing the bundle's manifest: ${why}`);

/** Reads and checks `<dir>/manifest.json`. */
export function readManifest(dir: string): McpbManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw refuse('the bundle has no manifest.json at its root.');
  if (statSync(path).size > MAX_MANIFEST_BYTES) throw refuse('manifest.json is larger than 1 MiB.');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw refuse('manifest.json is not valid JSON.');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(`${issue.path.join('.') || 'manifest'}: ${issue.message}`);
  }
  const keys = Object.keys(parsed.data.user_config ?? {});
  if (keys.length > 50) throw refuse('user_config has more than 50 entries.');
  const badKey = keys.find((k) => !KEY.test(k));
  if (badKey !== undefined) throw refuse(`the user_config key ${JSON.stringify(badKey.slice(0, 80))} is not a plain name.`);
  return parsed.data;
}

const answerKey = (key: string) => `user_config.${key}`;

/** What the user is asked for (the plan, after the bundle is verified). */
export function manifestVariables(manifest: McpbManifest): RegistryVariable[] {
  return Object.entries(manifest.user_config ?? {}).map(([key, o]) => ({
    key: answerKey(key),
    name: o.title ?? key,
    kind: o.sensitive ? ('env' as const) : ('arg' as const),
    description: o.description,
    required: Boolean(o.required),
    secret: Boolean(o.sensitive),
    default: o.sensitive || o.default === undefined ? undefined : Array.isArray(o.default) ? o.default.join(',') : String(o.default),
  }));
}

const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * The stdio server the manifest describes, run from `dir`. Missing required
 * answers are one VALIDATION error listing them all, so the form can ask.
 */
export function manifestToServer(manifest: McpbManifest, dir: string, name: string, answers: Answers): StdioServerInput {
  const options = manifest.user_config ?? {};
  const missing = Object.entries(options)
    .filter(([key, o]) => o.required && (answers[answerKey(key)] ?? '') === '' && (o.sensitive || o.default === undefined))
    .map(([key, o]) => `${o.title ?? key} (${answerKey(key)})`);
  if (missing.length) throw new IpcError('VALIDATION', `The bundle needs values for: ${missing.join(', ')}. Nothing was added.`);

  const value = (key: string): string => {
    const o = options[key]!;
    const given = answers[answerKey(key)];
    if (given !== undefined && given !== '') return given;
    if (o.sensitive || o.default === undefined) return '';
    return Array.isArray(o.default) ? o.default.join(',') : String(o.default);
  };
  // One pass: replaced text is never scanned again. Returns whether a sensitive value went in.
  const substitute = (template: string, where: string): { text: string; secret: boolean } => {
    let secret = false;
    const text = template.replace(SUBST, (whole, what: string, key: string | undefined) => {
      if (what === '__dirname') return dir;
      if (!key || !options[key]) return whole; // undeclared: literal
      if (options[key]!.sensitive) {
        if (where !== 'env')
          throw refuse(`${where} uses the sensitive value "${key}": Switchboard keeps secrets in the vault and never puts them on the command line.`);
        secret = true;
      }
      return value(key);
    });
    if (text.includes('\u0000')) throw refuse(`${where} contains a NUL character.`);
    return { text, secret };
  };

  const { mcp_config: config, entry_point: entry } = manifest.server;
  if (entry !== undefined && !inside(dir, resolve(dir, entry))) throw refuse('server.entry_point points outside the bundle.');
  const command = substitute(config.command, 'the command').text;
  if (!RUNTIMES.has(command)) {
    const path = resolve(dir, command);
    if (!isAbsolute(command) || !inside(dir, path)) {
      throw refuse(
        `the command "${command.slice(0, 200)}" is neither a runtime Switchboard runs by name (${[...RUNTIMES].join(', ')}) nor a file inside the bundle (use \${__dirname}/...).`,
      );
    }
    if (!existsSync(path)) throw refuse(`the command "${command.slice(0, 200)}" is not in the bundle.`);
  }
  const args = (config.args ?? []).map((a, i) => substitute(a, `argument ${i + 1}`).text);
  const env = Object.entries(config.env ?? {}).map(([envName, template]) => {
    const { text, secret } = substitute(template, 'env');
    return { name: envName, value: text, secret };
  });
  return { transport: 'stdio', name, command, args, cwd: dir, env };
}
