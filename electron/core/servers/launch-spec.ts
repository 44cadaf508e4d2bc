import { createHash } from 'node:crypto';
import type { LaunchChange, LaunchSpec } from '../../../shared/contract';
import type { StoredStdioServer } from './server-repo';

// Approval is bound to the content of the launch spec, not the server's name
// (the MCPoison lesson): any change to the command, args, cwd or env asks again,
// whether it came from the dialog, an import or another process editing the file.
//
// Secret env values are bound by name only: their plaintext never leaves the
// vault (and the vault binds each secret to its server and name).

/** The parts of a launch spec an approval covers; env values are null for secrets. */
export interface ApprovedSpec {
  command: string;
  args: string[];
  cwd: string | null;
  env: { name: string; value: string | null }[];
}

export function approvedSpecOf(server: StoredStdioServer): ApprovedSpec {
  return {
    command: server.command,
    args: [...server.args],
    cwd: server.cwd ?? null,
    env: server.env.map((e) => ({ name: e.name, value: e.secret ? null : (e.value ?? '') })),
  };
}

export function launchSpecOf(server: StoredStdioServer, resolvedCommand: string | null): LaunchSpec {
  const spec = approvedSpecOf(server);
  return { command: spec.command, resolvedCommand, args: spec.args, cwd: spec.cwd, env: spec.env };
}

export function specHash(spec: ApprovedSpec): string {
  const canonical = JSON.stringify({
    v: 2,
    command: spec.command,
    args: spec.args,
    cwd: spec.cwd,
    env: [...spec.env].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((e) => [e.name, e.value === null ? { secret: true } : e.value]),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export function launchSpecHash(server: StoredStdioServer): string {
  return specHash(approvedSpecOf(server));
}

/** Exactly what differs between the approved spec and the current one, for the approval dialog. */
export function specChanges(before: ApprovedSpec, after: ApprovedSpec): LaunchChange[] {
  const changes: LaunchChange[] = [];
  if (before.command !== after.command) changes.push({ field: 'command', before: before.command, after: after.command });
  const maxArgs = Math.max(before.args.length, after.args.length);
  for (let i = 0; i < maxArgs; i++) {
    if (before.args[i] !== after.args[i]) changes.push({ field: 'args', index: i, before: before.args[i] ?? null, after: after.args[i] ?? null });
  }
  if (before.cwd !== after.cwd) changes.push({ field: 'cwd', before: before.cwd, after: after.cwd });
  const show = (e: { value: string | null } | undefined) => (e === undefined ? null : e.value === null ? '(secret)' : e.value);
  const names = new Set([...before.env.map((e) => e.name), ...after.env.map((e) => e.name)]);
  for (const name of names) {
    const b = before.env.find((e) => e.name === name);
    const a = after.env.find((e) => e.name === name);
    if (b?.value === a?.value && Boolean(b) === Boolean(a)) continue;
    changes.push({ field: 'env', name, before: show(b), after: show(a) });
  }
  return changes;
}

/** Parses an approved spec read back from the vault; undefined when it is not one. */
export function parseApprovedSpec(text: string): ApprovedSpec | undefined {
  try {
    const v = JSON.parse(text) as { spec?: ApprovedSpec };
    const s = v.spec;
    if (!s || typeof s.command !== 'string' || !Array.isArray(s.args) || !s.args.every((a) => typeof a === 'string')) return undefined;
    if (s.cwd !== null && typeof s.cwd !== 'string') return undefined;
    if (!Array.isArray(s.env) || !s.env.every((e) => e && typeof e.name === 'string' && (e.value === null || typeof e.value === 'string'))) return undefined;
    return { command: s.command, args: s.args, cwd: s.cwd, env: s.env.map((e) => ({ name: e.name, value: e.value })) };
  } catch {
    return undefined;
  }
}
