import { arch, release } from 'node:os';
import { strToU8, zipSync } from 'fflate';
import type { LogLine, ServerView } from '../../../shared/contract';
import type { KeyValueStore } from '../ports';
import { settingsKey, settingsSchema, type SettingsKey } from '../settings';
import { KnownSecrets, isSecretKey, looksLikeOpaqueToken, type Scrub } from '../traffic';
import type { Vault } from '../vault';
import { diagnosticsRedactor, type TextRedactor } from './redact-text';

// "Export diagnostics": a zip the user can attach to a bug report, with what
// helps find a problem (versions, the settings file, each server's status and
// log, recent internal errors) and nothing that grants access. Every file goes
// through diagnosticsRedactor; then the finished text is checked once more for
// every secret value the vault holds, and the export fails rather than write
// one. Not included: history of tool calls and traffic (your data, not
// diagnostics), environment variables of this process, host and user names.

const ROOT = 'switchboard-diagnostics';
const MAX_LOG_LINES = 1000;
const MAX_ERRORS = 200;
const REDACTED = '[redacted]';

export interface DiagnosticsSources {
  store: KeyValueStore;
  vault: Vault;
  /** Values Switchboard injected into servers this session (tokens kept in memory included). */
  knownSecrets: KnownSecrets;
  listServers: () => Promise<ServerView[]>;
  serverLog: (serverId: string) => LogLine[];
  internalErrors: () => readonly InternalError[];
  environment: Record<string, unknown>;
  now: () => number;
  /** Replaced by "~" (tests pass their temp home). */
  home?: string;
}

export interface InternalError {
  at: number;
  where: string;
  message: string;
}

/** A bounded record of the core's internal errors this session (what `console.error` shows in a terminal). */
export class InternalErrorLog {
  private readonly entries: InternalError[] = [];
  constructor(private readonly now: () => number) {}
  record(where: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.entries.push({ at: this.now(), where: String(where).slice(0, 200), message: message.split('\n').slice(0, 8).join('\n').slice(0, 4000) });
    if (this.entries.length > MAX_ERRORS) this.entries.shift();
  }
  list(): readonly InternalError[] {
    return this.entries;
  }
}

/**
 * The secrets inside a vault value. Plain values are secrets whole; a JSON value
 * (a token set, a DPoP key) holds them under secret-looking names or as random
 * strings, next to plain fields ("Bearer", scopes) that must stay readable.
 */
function secretsIn(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [value];
  }
  if (!parsed || typeof parsed !== 'object') return [value];
  const out: string[] = [];
  const walk = (v: unknown, key: string, depth: number): void => {
    if (typeof v === 'string') {
      if (isSecretKey(key) || looksLikeOpaqueToken(v)) out.push(v);
    } else if (v && typeof v === 'object' && depth < 16) for (const [k, item] of Object.entries(v)) walk(item, Array.isArray(v) ? key : k, depth + 1);
  };
  walk(parsed, '', 0);
  return out;
}

/** Launch approvals are integrity records (the approved command line), not secrets. */
const NOT_SECRET_RECORD = /^server:[^:]+:launch-approval$/;

/** The plaintext of every secret the vault can decrypt. */
async function vaultSecrets(vault: Vault): Promise<string[]> {
  const snapshot = vault.snapshot();
  const values: string[] = [];
  for (const key of Object.keys(snapshot)) {
    if (NOT_SECRET_RECORD.test(key)) continue;
    const read = await vault.get(key, snapshot).catch(() => undefined);
    if (read?.status === 'ok') values.push(...secretsIn(read.value));
  }
  return values;
}

function redactEntries(entries: unknown, redact: TextRedactor): unknown {
  if (!Array.isArray(entries)) return entries;
  return entries.map((entry) => {
    if (!entry || typeof entry !== 'object') return entry;
    const { name, value, secret } = entry as { name?: unknown; value?: unknown; secret?: unknown };
    if (typeof value !== 'string') return entry;
    const hide = secret === true || (typeof name === 'string' && isSecretKey(name)) || looksLikeOpaqueToken(value);
    return { ...entry, value: hide ? REDACTED : redact.text(value) };
  });
}

/** A server entry (stored or viewed): env and header values by their own rules, then everything else. */
function redactServer(server: unknown, redact: TextRedactor): unknown {
  if (!server || typeof server !== 'object') return server;
  const s = { ...(server as Record<string, unknown>) };
  if ('env' in s) s.env = redactEntries(s.env, redact);
  if ('headers' in s) s.headers = redactEntries(s.headers, redact);
  if (s.config && typeof s.config === 'object') s.config = redactServer(s.config, redact);
  // The approval dialog's launch spec repeats every env value.
  if (s.trust && typeof s.trust === 'object') s.trust = { ...(s.trust as object), spec: undefined, changes: undefined };
  return redact.value(s);
}

function settingsFile(store: KeyValueStore, redact: TextRedactor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema) as SettingsKey[]) {
    if (!store.has(key)) continue;
    const raw = store.get(key);
    if (key === 'vault') {
      // Which secrets exist and where, never their ciphertext.
      const records = settingsKey(store, 'vault').read();
      out.vault = Object.fromEntries(
        Object.entries(records).map(([name, r]) => [redact.text(name), { backend: (r as { backend?: unknown })?.backend, ciphertext: REDACTED }]),
      );
    } else if (key === 'servers') {
      out.servers = Array.isArray(raw) ? raw.map((s) => redactServer(s, redact)) : redact.value(raw);
    } else {
      out[key] = redact.value(raw);
    }
  }
  return out;
}

const line = (l: LogLine) => `${new Date(l.ts).toISOString()} [${l.stream}] ${l.text}`;
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'server';

/** The files of the bundle, by path inside the zip, redacted. */
export async function collectDiagnostics(sources: DiagnosticsSources): Promise<Record<string, string>> {
  const known = new KnownSecrets();
  const secretValues = await vaultSecrets(sources.vault);
  for (const value of secretValues) known.add('vault', value);
  const vaultScrub = known.scrubberForAll();
  const sessionScrub = sources.knownSecrets.scrubberForAll();
  const scrub: Scrub | undefined = vaultScrub && sessionScrub ? (t) => sessionScrub(vaultScrub(t)) : (vaultScrub ?? sessionScrub);
  const redact = diagnosticsRedactor(scrub, sources.home);

  const servers = await sources.listServers();
  const files: Record<string, string> = {};
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  files['environment.json'] = json(redact.value(sources.environment));
  files['settings.json'] = json(settingsFile(sources.store, redact));
  files['servers.json'] = json(servers.map((s) => redactServer(s, redact)));
  const used = new Set<string>();
  for (const server of servers) {
    let name = safeName(server.name);
    while (used.has(name)) name += '_';
    used.add(name);
    let lines: LogLine[] = [];
    try {
      lines = sources.serverLog(server.id).slice(-MAX_LOG_LINES);
    } catch {
      /* removed meanwhile */
    }
    files[`logs/${name}.log`] = lines.map((l) => redact.text(line(l))).join('\n') + '\n';
  }
  files['logs/internal-errors.log'] =
    sources
      .internalErrors()
      .map((e) => redact.text(`${new Date(e.at).toISOString()} ${e.where}: ${e.message}`))
      .join('\n') + '\n';
  files['README.txt'] = [
    'Switchboard diagnostics',
    `Created ${new Date(sources.now()).toISOString()}.`,
    '',
    'environment.json  versions and platform (no environment variables)',
    'settings.json     the settings file; secret values, tokens and ciphertexts replaced by [redacted]',
    'servers.json      each server: configuration (secrets redacted) and status',
    'logs/             each server log (stderr and connection events) and internal errors of this session',
    '',
    'Not included: the history of tool calls, traffic, the vault contents.',
    '',
  ].join('\n');

  // The last line of defence: no value the vault decrypts may survive anywhere.
  const leaks = secretValues.filter((v) => v.length >= 6 && Object.values(files).some((f) => f.includes(v)));
  if (leaks.length) throw new Error(`Diagnostics not written: a secret value survived redaction (${leaks.length}). Please report this.`);
  return files;
}

export function zipDiagnostics(files: Record<string, string>, now: number): Uint8Array {
  // Zip dates run from 1980 to 2099; a clock outside that (tests, a broken RTC) gets the epoch of zip.
  const mtime = now >= Date.UTC(1980, 0, 2) && now < Date.UTC(2099, 11, 31) ? now : Date.UTC(1980, 0, 2);
  const entries = Object.fromEntries(Object.entries(files).map(([path, text]) => [`${ROOT}/${path}`, [strToU8(text), { mtime: new Date(mtime) }] as const]));
  return zipSync(entries as never, { level: 6 });
}

export const environmentSummary = (appVersion: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  app: 'Switchboard',
  version: appVersion ?? 'unknown',
  platform: process.platform,
  arch: arch(),
  osRelease: release(),
  versions: Object.fromEntries(['node', 'v8', 'electron', 'chrome'].filter((k) => process.versions[k]).map((k) => [k, process.versions[k]])),
  locale: Intl.DateTimeFormat().resolvedOptions().locale,
  ...extra,
});
