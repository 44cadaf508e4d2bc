import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ClientConfigChangeItem } from '../../../shared/contract';
import { isSecretKey, looksLikeOpaqueToken, redactString, redactUrl } from '../traffic';
import type { ImportCandidate } from './types';

// What Switchboard remembers of a client's server entry, to say later what
// changed: the command, arguments and folder, or the URL, and the NAMES of its
// env vars and headers. Values never: a changed token must not be copied into
// our settings file or shown. Text that looks like a credential (an argument
// after --api-key, a token in a URL) is masked before it is kept, and every
// kept string is capped; the hash covers the uncapped entry (still no values).

const SHOWN_CHARS = 300;
const SHOWN_ARGS = 32;
const SHOWN_NAMES = 64;
const MASK = '••••••';

export const ServerSummary = z.object({
  hash: z.string().max(128),
  transport: z.enum(['stdio', 'http', 'sse']),
  command: z.string().max(SHOWN_CHARS).optional(),
  args: z
    .array(z.string().max(SHOWN_CHARS))
    .max(SHOWN_ARGS + 1)
    .optional(),
  cwd: z.string().max(SHOWN_CHARS).optional(),
  url: z.string().max(SHOWN_CHARS).optional(),
  env: z.array(z.string().max(SHOWN_CHARS)).max(SHOWN_NAMES + 1),
  headers: z.array(z.string().max(SHOWN_CHARS)).max(SHOWN_NAMES + 1),
  disabled: z.boolean().optional(),
  /** Only the hash was kept (the file's summary was too large to store in full). */
  brief: z.literal(true).optional(),
});
export type ServerSummary = z.infer<typeof ServerSummary>;

/** One file's servers by name, as last accepted. */
export const FileBaseline = z.object({ servers: z.record(z.string().max(256), ServerSummary) });
export type FileBaseline = z.infer<typeof FileBaseline>;

/** Above this, a file's baseline keeps hashes only: a planted file must not bloat the settings file. */
const STORED_CHARS = 256 * 1024;

const cap = (s: string) => (s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 1)}…` : s);
const names = (list: readonly { name: string }[]) => {
  const sorted = [...new Set(list.map((v) => v.name))].sort();
  return sorted.length > SHOWN_NAMES ? [...sorted.slice(0, SHOWN_NAMES).map(cap), `…${sorted.length - SHOWN_NAMES} more`] : sorted.map(cap);
};

/** An argument as shown: a value following a secret-named flag, or shaped like a credential, is masked. */
function maskArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const flag = /^--?([\w.-]{1,64})$/.exec(args[i - 1] ?? '');
    if (flag && isSecretKey(flag[1]!)) return MASK;
    const inline = /^--?([\w.-]{1,64})=/.exec(arg);
    if (inline && isSecretKey(inline[1]!)) return `${arg.slice(0, inline[0].length)}${MASK}`;
    if (looksLikeOpaqueToken(arg)) return MASK;
    return redactString(arg);
  });
}

export function summarize(c: ImportCandidate): ServerSummary {
  const stdio = c.type === 'stdio';
  const full = stdio
    ? { transport: c.type, command: c.command ?? '', args: c.args, cwd: c.cwd, env: names(c.env), envFile: c.envFile, disabled: c.disabled === true }
    : { transport: c.type, url: c.url ?? '', headers: names(c.headers), disabled: c.disabled === true };
  const hash = createHash('sha256').update(JSON.stringify(full)).digest('hex');
  const args = maskArgs(c.args);
  return {
    hash,
    transport: c.type,
    ...(stdio
      ? {
          command: cap(redactString(c.command ?? '')),
          args: [...args.slice(0, SHOWN_ARGS).map(cap), ...(args.length > SHOWN_ARGS ? [`…${args.length - SHOWN_ARGS} more`] : [])],
        }
      : {}),
    ...(stdio && c.cwd !== undefined ? { cwd: cap(redactString(c.cwd)) } : {}),
    ...(!stdio ? { url: cap(redactUrl(c.url ?? '')) } : {}),
    env: stdio ? names(c.env) : [],
    headers: stdio ? [] : names(c.headers),
    ...(c.disabled ? { disabled: true } : {}),
  };
}

export function baselineOf(servers: readonly ImportCandidate[]): FileBaseline {
  const out: FileBaseline = { servers: {} };
  for (const s of servers) out.servers[s.name] = summarize(s);
  return out;
}

/** What is written to settings: the full summary, or hashes only when it is too large. */
export function storable(baseline: FileBaseline): FileBaseline {
  if (JSON.stringify(baseline).length <= STORED_CHARS) return baseline;
  const servers: FileBaseline['servers'] = {};
  for (const [name, s] of Object.entries(baseline.servers)) servers[name] = { hash: s.hash, transport: s.transport, env: [], headers: [], brief: true };
  return { servers };
}

const shown = (s: ServerSummary) => (s.transport === 'stdio' ? [s.command ?? '', ...(s.args ?? [])].join(' ') : (s.url ?? ''));
const quoted = (s: string) => `“${s}”`;

function nameChanges(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((n) => !before.includes(n));
  const removed = before.filter((n) => !after.includes(n));
  const out: string[] = [];
  if (added.length) out.push(`${what} ${added.join(', ')} added`);
  if (removed.length) out.push(`${what} ${removed.join(', ')} removed`);
  return out;
}

/** What is different in `after`, server by server, in words. Names only for env vars and headers. */
export function diffBaselines(before: FileBaseline, after: FileBaseline): ClientConfigChangeItem[] {
  const out: ClientConfigChangeItem[] = [];
  for (const [name, now] of Object.entries(after.servers)) {
    const was = before.servers[name];
    if (!was) {
      out.push({ kind: 'added', server: name, text: `gained server ${name} (${now.transport === 'stdio' ? 'runs' : 'at'} ${quoted(shown(now))})` });
      continue;
    }
    if (was.hash === now.hash) continue;
    const parts: string[] = [];
    if (was.brief) parts.push('its entry changed');
    else if (was.transport !== now.transport)
      parts.push(
        `it changed from a ${was.transport === 'stdio' ? 'local' : 'remote'} server to a ${now.transport === 'stdio' ? 'local' : 'remote'} one: ${quoted(shown(now))}`,
      );
    else {
      if (was.command !== now.command) parts.push(`its command changed from ${quoted(was.command ?? '')} to ${quoted(now.command ?? '')}`);
      if (JSON.stringify(was.args) !== JSON.stringify(now.args))
        parts.push(`its arguments changed from ${quoted((was.args ?? []).join(' '))} to ${quoted((now.args ?? []).join(' '))}`);
      if (was.cwd !== now.cwd) parts.push(`its working folder changed from ${quoted(was.cwd ?? '(none)')} to ${quoted(now.cwd ?? '(none)')}`);
      if (was.url !== now.url) parts.push(`its URL changed from ${quoted(was.url ?? '')} to ${quoted(now.url ?? '')}`);
      parts.push(...nameChanges('environment variables', was.env, now.env), ...nameChanges('headers', was.headers, now.headers));
    }
    if (!was.brief && Boolean(was.disabled) !== Boolean(now.disabled)) parts.push(now.disabled ? 'it was disabled' : 'it was enabled');
    // Something past what is kept for display (a long argument, an envFile) changed.
    if (parts.length === 0) parts.push('its entry changed');
    out.push({ kind: 'changed', server: name, text: `server ${name}: ${parts.join('; ')}` });
  }
  for (const name of Object.keys(before.servers)) if (!(name in after.servers)) out.push({ kind: 'removed', server: name, text: `lost server ${name}` });
  return out;
}
