import { readBoundedFile } from './read-file';
import { LIMITS, type Problem, type VariableSyntax } from './types';

// Expands the `${…}` forms a client expands, and nothing else. One pass, no
// recursion: an expanded value is never expanded again, and nothing is
// evaluated (no ${command:…}, no shell). What cannot be resolved is reported,
// never guessed or left to become a literal.

export interface VariableContext {
  env: Readonly<Record<string, string | undefined>>;
  userHome?: string;
  workspaceFolder?: string;
  /** Answers to VS Code inputs, by id. */
  inputs?: Readonly<Record<string, string>>;
}

export interface Expansion {
  value: string;
  /** The references that could not be resolved, as written (e.g. "${env:TOKEN}"). */
  unresolved: string[];
  /** The VS Code input ids referenced (answered or not). */
  inputIds: string[];
}

const REFERENCE = /\$\{([^{}]{1,256})\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function expand(text: string, syntax: VariableSyntax, ctx: VariableContext): Expansion {
  const unresolved: string[] = [];
  const inputIds: string[] = [];
  if (syntax === 'none' || !text.includes('${')) return { value: text, unresolved, inputIds };
  const value = text.replace(REFERENCE, (whole, body: string) => {
    const got = resolveOne(body, syntax, ctx, inputIds);
    if (got === undefined) unresolved.push(whole);
    return got ?? whole;
  });
  return { value, unresolved, inputIds };
}

function resolveOne(body: string, syntax: VariableSyntax, ctx: VariableContext, inputIds: string[]): string | undefined {
  const own = (name: string) => (Object.prototype.hasOwnProperty.call(ctx.env, name) ? ctx.env[name] : undefined);
  if (syntax === 'claude-code') {
    const cut = body.indexOf(':-');
    const name = cut < 0 ? body : body.slice(0, cut);
    if (!ENV_NAME.test(name)) return undefined;
    const set = own(name);
    // ${VAR:-default}: the default when unset or empty, as in the shell.
    if (cut >= 0) return set ? set : body.slice(cut + 2);
    return set;
  }
  if (body.startsWith('env:')) {
    const name = body.slice(4);
    return ENV_NAME.test(name) ? own(name) : undefined;
  }
  if (body === 'userHome') return ctx.userHome;
  if (body === 'workspaceFolder') return ctx.workspaceFolder;
  if (syntax === 'vscode' && body.startsWith('input:')) {
    const id = body.slice(6);
    inputIds.push(id);
    return ctx.inputs && Object.prototype.hasOwnProperty.call(ctx.inputs, id) ? ctx.inputs[id] : undefined;
  }
  return undefined;
}

export interface EnvFile {
  vars: { name: string; value: string }[];
  problems: Problem[];
}

/** Reads a dotenv file (VS Code's envFile): NAME=value lines, # comments, optional quotes. Bounded; never expands. */
export function readEnvFile(path: string): EnvFile {
  const read = readBoundedFile(path, LIMITS.envFileBytes);
  if ('missing' in read) return { vars: [], problems: [{ severity: 'error', reason: `The envFile ${path} does not exist (ENOENT).` }] };
  if ('problem' in read) return { vars: [], problems: [{ severity: 'error', reason: `The envFile ${read.problem}` }] };
  const problems: Problem[] = [];
  return { vars: parseEnvText(read.text, path, problems), problems };
}

export function parseEnvText(text: string, label: string, problems: Problem[]): { name: string; value: string }[] {
  const vars: { name: string; value: string }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq).trim();
    if (eq < 0 || !ENV_NAME.test(name)) {
      problems.push({ severity: 'warning', reason: `${label}: line ${i + 1} is not NAME=value; skipped.`, line: i + 1 });
      return;
    }
    if (vars.length >= LIMITS.envEntries) return;
    let value = body.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) value = value.slice(1, -1);
    else if (value.includes(' #')) value = value.slice(0, value.indexOf(' #')).trimEnd();
    vars.push({ name, value });
  });
  if (vars.length >= LIMITS.envEntries) problems.push({ severity: 'warning', reason: `${label}: only the first ${LIMITS.envEntries} variables are read.` });
  return vars;
}
