import { ServerInput, type SecretableInput, type ServerView } from '../../../shared/contract';
import { isLoopbackHost } from '../net/loopback';
import { looksSecret } from './secrets';
import type { ImportCandidate, InputDeclaration, NamedValue, Problem } from './types';
import { expand, type VariableContext } from './variables';

// From a client's entry to what it becomes in Switchboard: a ServerInput, or
// the reason it is skipped; plus whether Switchboard already has it, which
// values to keep in the vault, and which VS Code inputs must be answered first.

export type ExistingServer = Pick<ServerView, 'id' | 'name' | 'config'>;

export interface ConvertContext extends VariableContext {
  existing: readonly ExistingServer[];
  /** The file's VS Code input declarations (password inputs make secrets). */
  declaredInputs?: readonly InputDeclaration[];
  /** Variables from the entry's envFile, already read (see readEnvFile). */
  envFileVars?: readonly NamedValue[];
}

export interface Conversion {
  candidate: ImportCandidate;
  input?: ServerInput;
  /** Why it is not importable as it stands. */
  skipped?: string;
  /** A server Switchboard already has with the same launch spec or URL. */
  duplicateOf?: { id: string; name: string };
  /** Another server already has this name: import under a different one. */
  nameTaken?: boolean;
  /** VS Code inputs to ask for (once each) before this can be imported. */
  needsInputs: InputDeclaration[];
  /** Env or header values with a variable that is not set here: imported as secrets without a value, for the user to enter. */
  needsValues: { field: 'env' | 'headers'; name: string; missing: string[] }[];
  /** Variables in the command, args, cwd or URL that cannot be resolved: the server is skipped. */
  unresolved: string[];
  problems: Problem[];
}

export function convert(candidate: ImportCandidate, ctx: ConvertContext): Conversion {
  const out: Conversion = { candidate, needsInputs: [], needsValues: [], unresolved: [], problems: [] };
  const inputIds = new Set<string>();
  const secretInputs = new Set((ctx.declaredInputs ?? []).filter((i) => i.password).map((i) => i.id));
  let fromSecretInput = false;
  const x = (text: string) => {
    const r = expand(text, candidate.syntax, ctx);
    out.unresolved.push(...r.unresolved);
    for (const id of r.inputIds) {
      inputIds.add(id);
      if (secretInputs.has(id)) fromSecretInput = true;
    }
    return r.value;
  };
  const secretable = (field: 'env' | 'headers', pairs: readonly NamedValue[]): SecretableInput[] =>
    pairs.map((p) => {
      fromSecretInput = false;
      const r = expand(p.value, candidate.syntax, ctx);
      const missing = r.unresolved.filter((ref) => !ref.startsWith('${input:'));
      if (missing.length) {
        // A value the user can type: ask for it (kept as a secret) rather than skip the server.
        out.needsValues.push({ field, name: p.name, missing });
        for (const id of r.inputIds) inputIds.add(id);
        return { name: p.name, secret: true };
      }
      const value = x(p.value);
      return { name: p.name, value, secret: fromSecretInput || looksSecret(p.name, value) };
    });

  const finish = (skipped?: string): Conversion => {
    for (const id of inputIds) {
      const answered = ctx.inputs && Object.prototype.hasOwnProperty.call(ctx.inputs, id);
      if (answered) continue;
      const declared = ctx.declaredInputs?.find((i) => i.id === id);
      out.needsInputs.push(declared ?? { id, type: 'promptString', password: false });
    }
    out.unresolved = [...new Set(out.unresolved)];
    if (!skipped && out.needsInputs.length)
      skipped = `Waiting for ${out.needsInputs.map((i) => `"${i.id}"`).join(', ')}: answer once and the value is used wherever it appears.`;
    else if (!skipped && out.unresolved.length)
      skipped = `Cannot resolve ${out.unresolved.join(', ')}: set the variable and look again, or add the server by hand.`;
    if (skipped) {
      out.skipped = skipped;
      delete out.input;
    }
    return out;
  };

  if (candidate.type === 'stdio') {
    const command = x(candidate.command ?? '');
    const args = candidate.args.map(x);
    const cwd = candidate.cwd === undefined ? undefined : x(candidate.cwd);
    // envFile first, then env: the entry's own env wins, as in VS Code.
    const byName = new Map<string, NamedValue>();
    for (const v of ctx.envFileVars ?? []) byName.set(v.name, v);
    for (const v of candidate.env) byName.set(v.name, v);
    const env = secretable('env', [...byName.values()]);
    const parsed = ServerInput.safeParse({
      transport: 'stdio',
      name: candidate.name,
      command,
      args,
      ...(cwd ? { cwd } : {}),
      env,
      enabled: candidate.disabled !== true,
    });
    if (!parsed.success) return finish(`Does not fit a Switchboard server: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    out.input = parsed.data;
    const dup = ctx.existing.find(
      (s) => s.config.transport === 'stdio' && s.config.command === command && sameArgs(s.config.args, args) && (s.config.cwd ?? '') === (cwd ?? ''),
    );
    if (dup) out.duplicateOf = { id: dup.id, name: dup.name };
  } else {
    const url = x(candidate.url ?? '');
    const refused = checkUrl(url);
    if (refused) return finish(refused);
    const headers = secretable('headers', candidate.headers);
    const mode = candidate.type === 'sse' ? 'sse' : 'auto';
    const parsed = ServerInput.safeParse({ transport: 'http', name: candidate.name, url, mode, headers, enabled: candidate.disabled !== true });
    if (!parsed.success) return finish(`Does not fit a Switchboard server: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    out.input = parsed.data;
    const key = normalizeUrl(url);
    const dup = ctx.existing.find((s) => s.config.transport === 'http' && normalizeUrl(s.config.url) === key);
    if (dup) out.duplicateOf = { id: dup.id, name: dup.name };
  }
  if (candidate.envFile !== undefined && ctx.envFileVars === undefined)
    out.problems.push({ severity: 'warning', reason: `The envFile ${candidate.envFile} was not read.`, server: candidate.name });
  out.nameTaken = !out.duplicateOf && ctx.existing.some((s) => s.name.trim().toLowerCase() === candidate.name.trim().toLowerCase());
  return finish();
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Why a remote URL is refused; the same rules Switchboard applies when a server is added by hand. */
function checkUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return `Not a valid URL: "${raw.slice(0, 200)}".`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `Refused: "${url.protocol}" URLs are not servers; only https (or http on this machine) is imported.`;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return 'Refused: plain http is only allowed for servers on this machine; the server would be reached unencrypted.';
  if (url.username || url.password) return 'The URL carries credentials: add the server by hand with them in a header instead.';
  return undefined;
}

/** Same server, written differently: host case, default port, trailing slash and fragment do not matter. */
export function normalizeUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    url.hash = '';
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
    return `${url.protocol}//${url.host}${path}${url.search}`;
  } catch {
    return raw.trim();
  }
}

/** Every input asked for across conversions, each once. */
export function inputsToAsk(conversions: readonly Conversion[]): InputDeclaration[] {
  const seen = new Map<string, InputDeclaration>();
  for (const c of conversions) for (const i of c.needsInputs) if (!seen.has(i.id)) seen.set(i.id, i);
  return [...seen.values()];
}
