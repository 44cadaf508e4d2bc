import { isAbsolute } from 'node:path';
import type { ConfigFileView, ExportTarget, ImportCandidateView, ImportSelection, ServerInput, ServerView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { convert, inputsToAsk, type Conversion, type ExistingServer } from './candidates';
import { configPaths, homeOf, type ConfigLocation, type Env } from './paths';
import { readBoundedFile } from './read-file';
import { parseFormat, scanConfigs, type FoundConfig } from './scan';
import { expand, readEnvFile } from './variables';
import type { InputDeclaration, ParseResult } from './types';

// Import: scan the client configs, show what each server becomes, then add the
// chosen ones through the servers feature (whose add validates them and keeps
// secret values in the vault; stdio servers still need launch approval).

export interface HubDeps {
  /** The environment client paths and variables are resolved from (HOME, APPDATA, XDG_CONFIG_HOME…). */
  env: () => Promise<Env>;
  platform: NodeJS.Platform;
  listServers: () => Promise<ServerView[]>;
  addServer: (input: ServerInput) => Promise<ServerView>;
}

export type Selection = Required<Pick<ImportSelection, 'secrets' | 'values' | 'inputs'>> & Omit<ImportSelection, 'secrets' | 'values' | 'inputs'>;

/** A location the core computed for this env: a path from the renderer is only ever matched against these. */
export function knownLocation(env: Env, platform: NodeJS.Platform, folders: readonly string[], path: string): ConfigLocation {
  const location = configPaths(env, platform, folders).find((l) => l.path === path);
  if (!location) throw new IpcError('VALIDATION', `${path.slice(0, 300)} is not one of the client config files Switchboard knows.`);
  return location;
}

export async function scan(deps: HubDeps, folders: readonly string[]): Promise<{ home?: string; files: ConfigFileView[]; targets: ExportTarget[] }> {
  const env = await deps.env();
  const existing = await deps.listServers();
  const found = scanConfigs(env, deps.platform, folders);
  const files = found.map((f) => fileView(f, conversionsOf(f, env, deps.platform, existing, {})));
  const present = new Set(found.map((f) => f.location.path));
  const targets = configPaths(env, deps.platform, folders).map((l) => ({
    client: l.client as ExportTarget['client'],
    scope: l.scope,
    format: l.format,
    path: l.path,
    exists: present.has(l.path),
  }));
  return { home: homeOf(env, deps.platform), files, targets };
}

export async function importSelected(
  deps: HubDeps,
  folders: readonly string[],
  selections: Selection[],
): Promise<{ path: string; name: string; server?: ServerView; error?: string }[]> {
  const env = await deps.env();
  const results: { path: string; name: string; server?: ServerView; error?: string }[] = [];
  const parsed = new Map<string, { location: ConfigLocation; result: ParseResult }>();
  for (const sel of selections) {
    const base = { path: sel.path, name: sel.name };
    try {
      let file = parsed.get(sel.path);
      if (!file) {
        const location = knownLocation(env, deps.platform, folders, sel.path);
        const read = readBoundedFile(location.path);
        if (!('text' in read)) throw new IpcError('NOT_FOUND', `${sel.path} can no longer be read; scan again.`);
        file = { location, result: parseFormat(location.format, read.text, location) };
        parsed.set(sel.path, file);
      }
      const candidate = file.result.servers.find((c) => c.name === sel.name);
      if (!candidate) throw new IpcError('NOT_FOUND', `${sel.name} is no longer in ${sel.path}; scan again.`);
      const conversion = convertOne(candidate, file.location, file.result, env, deps.platform, await deps.listServers(), sel.inputs);
      if (!conversion.input) throw new IpcError('VALIDATION', conversion.skipped ?? 'Not importable.');
      const input = applyChoices(conversion, sel);
      results.push({ ...base, server: await deps.addServer(input) });
    } catch (e) {
      results.push({ ...base, error: (e as Error).message });
    }
  }
  return results;
}

/** The user's choices on top of the conversion: name, which values are secret, typed values. */
export function applyChoices(conversion: Conversion, sel: Omit<Selection, 'path'>): ServerInput {
  const input = conversion.input!;
  const needed = new Set(conversion.needsValues.map((v) => `${v.field}:${v.name}`));
  const choose = (field: 'env' | 'headers', list: { name: string; value?: string; secret?: boolean }[]) =>
    list.map((v) => {
      const key = `${field}:${v.name}`;
      const typed = sel.values[key];
      if (needed.has(key)) {
        if (typed === undefined || typed === '')
          throw new IpcError('VALIDATION', `Enter a value for ${v.name}: the file refers to a variable that is not set here.`);
        return { name: v.name, value: typed, secret: sel.secrets[key] ?? true };
      }
      return { name: v.name, value: v.value ?? '', secret: sel.secrets[key] ?? Boolean(v.secret) };
    });
  const name = sel.rename ?? input.name;
  if (input.transport === 'stdio') return { ...input, name, env: choose('env', input.env ?? []) };
  return { ...input, name, headers: choose('headers', input.headers ?? []) };
}

function conversionsOf(f: FoundConfig, env: Env, platform: NodeJS.Platform, existing: readonly ExistingServer[], inputs: Record<string, string>): Conversion[] {
  if (!f.result) return [];
  return f.result.servers.map((c) => convertOne(c, f.location, f.result!, env, platform, existing, inputs));
}

export function convertOne(
  candidate: ParseResult['servers'][number],
  location: Pick<ConfigLocation, 'folder'>,
  result: ParseResult,
  env: Env,
  platform: NodeJS.Platform,
  existing: readonly ExistingServer[],
  inputs: Record<string, string>,
): Conversion {
  const workspaceFolder = location.folder;
  const ctx = { env, userHome: homeOf(env, platform), workspaceFolder, inputs, existing, declaredInputs: result.inputs };
  let envFileVars;
  if (candidate.envFile !== undefined) {
    const path = expand(candidate.envFile, candidate.syntax, ctx);
    if (!path.unresolved.length && isAbsolute(path.value)) envFileVars = readEnvFile(path.value).vars;
  }
  return convert(candidate, { ...ctx, envFileVars });
}

function fileView(f: FoundConfig, conversions: Conversion[]): ConfigFileView {
  const l = f.location;
  const inputs = f.result ? usedInputs(f.result.inputs, conversions) : [];
  return {
    client: l.client as ConfigFileView['client'],
    scope: l.scope,
    format: l.format,
    path: l.path,
    ...(l.folder ? { folder: l.folder } : {}),
    ...(f.problem ? { unreadable: f.problem } : {}),
    problems: (f.result?.problems ?? []).filter((p) => !p.server),
    inputs: inputs.map(inputView),
    candidates: conversions.map((c) =>
      candidateView(
        c,
        (f.result?.problems ?? []).filter((p) => p.server === c.candidate.name),
      ),
    ),
  };
}

/** Declared inputs first, then any referenced but undeclared (asked as plain text). */
/** An input as the renderer sees it: a password input's default stays in the core. */
export function inputView(i: InputDeclaration): ConfigFileView['inputs'][number] {
  return { id: i.id, type: i.type, description: i.description, password: i.password, options: i.options, ...(i.password ? {} : { default: i.default }) };
}

export function usedInputs(declared: InputDeclaration[], conversions: Conversion[]): InputDeclaration[] {
  const asked = inputsToAsk(conversions);
  return [...declared.filter((d) => asked.some((a) => a.id === d.id)), ...asked.filter((a) => !declared.some((d) => d.id === a.id))];
}

export function candidateView(c: Conversion, fileProblems: ImportCandidateView['problems']): ImportCandidateView {
  const cand = c.candidate;
  const needsValue = new Set(c.needsValues.map((v) => `${v.field}:${v.name}`));
  // Secret-looking values stay in the core: the renderer sees the name and the suggestion only.
  const value = (field: 'env' | 'headers') => (v: { name: string; value?: string; secret?: boolean }) => ({
    name: v.name,
    secret: Boolean(v.secret),
    needsValue: needsValue.has(`${field}:${v.name}`),
    ...(v.secret || v.value === undefined ? {} : { value: v.value }),
  });
  const i = c.input;
  const becomes: ImportCandidateView['becomes'] = !i
    ? undefined
    : i.transport === 'stdio'
      ? { transport: 'stdio', command: i.command, args: i.args ?? [], ...(i.cwd ? { cwd: i.cwd } : {}), env: (i.env ?? []).map(value('env')) }
      : { transport: 'http', url: i.url, mode: i.mode ?? 'auto', headers: (i.headers ?? []).map(value('headers')) };
  const waitingOnlyForInputs = c.needsInputs.length > 0 && c.unresolved.every((u) => u.startsWith('${input:'));
  return {
    name: cand.name,
    scope: cand.scope,
    ...(cand.project ? { project: cand.project } : {}),
    ...(becomes ? { becomes } : {}),
    ...(c.skipped && !waitingOnlyForInputs ? { skipped: c.skipped } : {}),
    ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
    nameTaken: Boolean(c.nameTaken),
    needsInputs: c.needsInputs.map((n) => n.id),
    problems: [...fileProblems, ...c.problems],
    ...(cand.line ? { line: cand.line } : {}),
  };
}
