import { createHash } from 'node:crypto';

// Names on the combined endpoint: each server's tools and prompts appear as
// `<prefix>__<name>`. A prefix is derived from the server's name, uses only
// [a-z0-9-] (never `_`), so the first `_` of a combined name always ends the
// prefix: a combined name belongs to exactly one server, and no upstream name
// (`other__tool` included) can make it point at another server. Prefixes that
// would be equal get a suffix derived from the server's id, so they depend on
// the set of servers only (not on any order), survive restarts, and a prefix
// never moves from one server to another while both exist.

/** The key the combined endpoint's handler and 2025-era cancellations are filed under (no server id can be it). */
export const COMBINED_CHANNEL = '\u0000combined';

/** The MCP tool-name charset (2025-11-25: letters, digits, `_`, `-`, `.`) and length limit. */
export const NAME_CHARSET = /^[A-Za-z0-9_.-]+$/;
export const MAX_NAME_LENGTH = 128;
export const SEPARATOR = '__';
/** Characters of a prefix before any suffix. */
export const MAX_BASE_LENGTH = 24;

const hex = (text: string, length: number): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);

/** A readable prefix from a server name: lower-case ASCII letters, digits and single `-`; "server" when nothing is left. */
export function prefixBase(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/-+$/, '');
  return ascii || 'server';
}

const SUFFIX_LENGTHS = [4, 6, 8, 12, 16, 64];

/**
 * One prefix per server, unique among them. A server whose base is unique keeps it;
 * every server whose base (or suffixed prefix) is shared gets `<base>-<hash of its id>`,
 * longer hashes only if the short ones still meet.
 */
export function assignPrefixes(servers: readonly { id: string; name: string }[]): Map<string, string> {
  const unique = [...new Map(servers.map((s) => [s.id, s])).values()];
  const level = new Map<string, number>(); // server id → index into SUFFIX_LENGTHS, absent: bare base
  const prefixOf = (s: { id: string; name: string }): string => {
    const at = level.get(s.id);
    return at === undefined ? prefixBase(s.name) : `${prefixBase(s.name)}-${hex(s.id, SUFFIX_LENGTHS[at]!)}`;
  };
  // Each round suffixes (or lengthens) every member of a clash; ids are distinct, so 64 hex digits always separate them.
  for (let round = 0; round <= unique.length + SUFFIX_LENGTHS.length; round++) {
    const byPrefix = new Map<string, string[]>();
    for (const s of unique) byPrefix.set(prefixOf(s), [...(byPrefix.get(prefixOf(s)) ?? []), s.id]);
    const clashes = [...byPrefix.values()].filter((ids) => ids.length > 1);
    if (clashes.length === 0) break;
    for (const ids of clashes)
      for (const id of ids) {
        const at = level.get(id);
        level.set(id, at === undefined ? 0 : Math.min(at + 1, SUFFIX_LENGTHS.length - 1));
      }
  }
  return new Map(unique.map((s) => [s.id, prefixOf(s)]));
}

/** The prefix part of a combined name: everything before its first `_` (prefixes never contain one). */
export function prefixOfCombined(name: string): string | undefined {
  const at = name.indexOf('_');
  return at > 0 && name.startsWith(SEPARATOR, at) ? name.slice(0, at) : undefined;
}

/**
 * The combined names of one server's tools (or prompts): `<prefix>__<name>` as is when that is
 * within the charset and length limit; otherwise the name with other characters as `_`, cut to
 * fit, plus `-<hash of the original name>`. Names kept as they are win over rewritten ones;
 * a rewritten name that meets a name already taken is left out (it never replaces one).
 * Returns combined name → upstream name.
 */
export function combinedNames(prefix: string, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const head = `${prefix}${SEPARATOR}`;
  const rewritten: string[] = [];
  for (const name of [...new Set(names)].sort()) {
    const full = head + name;
    if (name.length > 0 && NAME_CHARSET.test(name) && full.length <= MAX_NAME_LENGTH) out.set(full, name);
    else rewritten.push(name);
  }
  for (const name of rewritten) {
    const tag = `-${hex(name, 8)}`;
    const room = Math.max(0, MAX_NAME_LENGTH - head.length - tag.length);
    const full = head + name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, room) + tag;
    if (!out.has(full)) out.set(full, name);
  }
  return out;
}
