import { createHash } from 'node:crypto';
import { IpcError } from '../../../shared/contract';
import type { StoredServer } from '../servers';
import * as claudeCode from './claude-code';
import * as claudeDesktop from './claude-desktop';
import * as cursor from './cursor';
import { changedHunks } from './diff';
import { gatewayEntries, type GatewayExportSource, type GatewaySecretKey } from './gateway-entries';
import { knownLocation } from './import-service';
import * as mcpServersFile from './mcp-servers-file';
import type { ConfigFormat, Env } from './paths';
import { readBoundedFile } from './read-file';
import { maskLine } from './secrets';
import { ClientConfigError, type ExportEntry, type ExportValue, type WriteResult } from './types';
import * as vscode from './vscode';
import * as windsurf from './windsurf';
import { writeConfigFile } from './write-file';

// Export: Switchboard's servers written into a client's file. The preview and
// the write compute the same edit from the file as it is; the write goes ahead
// only if the file still hashes to what the preview showed. Secret values are
// read from the vault only for the ones the user confirmed to write in plaintext.

export interface ExportDeps {
  env: () => Promise<Env>;
  platform: NodeJS.Platform;
  stored: (id: string) => StoredServer;
  /** The vault value of one secret, or undefined when it is not stored or cannot be used. */
  secretValue: (id: string, kind: 'env' | 'header', name: string) => Promise<string | undefined>;
  /** Export through the gateway: its clients' endpoints and tokens. */
  gateway?: GatewayExportSource;
}

export interface ExportRequest {
  path: string;
  projectFolders: string[];
  serverIds: string[];
  plaintextConfirmed: string[];
  /** Write the servers as this gateway client reaches them (its endpoint and token), not as they run here. */
  gatewayClientId?: string;
}

const MISSING = 'missing';

export function hashText(text: string | undefined): string {
  return text === undefined ? MISSING : createHash('sha256').update(text, 'utf8').digest('hex');
}

export function writerFor(format: ConfigFormat): (existing: string | undefined, entries: ExportEntry[]) => WriteResult {
  switch (format) {
    case 'claude-desktop':
      return claudeDesktop.write;
    case 'claude-code-user':
    case 'claude-code-project':
      return (text, entries) => claudeCode.write(text, entries);
    case 'cursor':
      return cursor.write;
    case 'vscode-mcp':
      return (text, entries) => vscode.write(text, entries, { kind: 'mcp' });
    case 'vscode-settings':
      return (text, entries) => vscode.write(text, entries, { kind: 'settings' });
    case 'windsurf':
      return windsurf.write;
  }
}

/** The servers as export entries; confirmed secrets carry their vault value, the others an empty one (never written). */
async function entriesOf(
  deps: ExportDeps,
  req: ExportRequest,
  format?: ConfigFormat,
): Promise<{
  entries: ExportEntry[];
  ids: Map<string, string>;
  plaintext: string[];
  warnings: { name: string; reason: string }[];
  gatewayKeys?: Map<string, GatewaySecretKey>;
}> {
  const confirmed = new Set(req.plaintextConfirmed);
  if (req.gatewayClientId !== undefined) {
    if (!deps.gateway || !format) throw new IpcError('VALIDATION', 'The gateway is not available for export here.');
    const g = gatewayEntries(deps.gateway, req.gatewayClientId, req.serverIds, format, (id) => deps.stored(id).name, confirmed);
    return { entries: g.entries, ids: new Map(), plaintext: g.plaintext, warnings: g.warnings, gatewayKeys: g.keys };
  }
  const ids = new Map<string, string>();
  const plaintext: string[] = [];
  const warnings: { name: string; reason: string }[] = [];
  const entries: ExportEntry[] = [];
  for (const id of [...new Set(req.serverIds)]) {
    const s = deps.stored(id);
    ids.set(s.name, id);
    const values = async (field: 'env' | 'headers', list: { name: string; secret: boolean; value?: string }[]): Promise<ExportValue[]> => {
      const out: ExportValue[] = [];
      for (const v of list) {
        if (!v.secret) {
          out.push({ name: v.name, value: v.value ?? '', secret: false });
          continue;
        }
        if (!confirmed.has(`${id}:${field}:${v.name}`)) {
          out.push({ name: v.name, value: '', secret: true });
          continue;
        }
        const value = await deps.secretValue(id, field === 'env' ? 'env' : 'header', v.name);
        if (value === undefined) throw new IpcError('VALIDATION', `${s.name}: the secret ${v.name} has no stored value to write.`);
        plaintext.push(value);
        out.push({ name: v.name, value, secret: true, plaintextConfirmed: true });
      }
      return out;
    };
    if (s.transport === 'stdio')
      entries.push({ name: s.name, transport: 'stdio', command: s.command, args: s.args, ...(s.cwd ? { cwd: s.cwd } : {}), env: await values('env', s.env) });
    else {
      if (s.oauthClient) warnings.push({ name: s.name, reason: 'Its OAuth client settings are not written: the client signs in by itself.' });
      entries.push({ name: s.name, transport: 'http', url: s.url, mode: s.mode, headers: await values('headers', s.headers) });
    }
  }
  return { entries, ids, plaintext, warnings };
}

async function compute(deps: ExportDeps, req: ExportRequest) {
  const env = await deps.env();
  const location = knownLocation(env, deps.platform, req.projectFolders, req.path);
  const read = readBoundedFile(location.path);
  if ('problem' in read) throw new IpcError('VALIDATION', `Cannot read ${location.path}: ${read.problem}`);
  const text = 'text' in read ? read.text : undefined;
  const { entries, ids, plaintext, warnings, gatewayKeys } = await entriesOf(deps, req, location.format);
  let result: WriteResult;
  try {
    result = writerFor(location.format)(text, entries);
  } catch (e) {
    if (e instanceof ClientConfigError) throw new IpcError('VALIDATION', e.line ? `${e.message} (line ${e.line})` : e.message);
    throw e;
  }
  return { location, text, result, ids, plaintext, warnings, gatewayKeys };
}

export async function preview(deps: ExportDeps, req: ExportRequest) {
  const { location, text, result, ids, plaintext, warnings, gatewayKeys } = await compute(deps, req);
  const needsPlaintext = [];
  const refused = [];
  for (const r of result.refused) {
    const g = gatewayKeys?.get(r.name);
    if (g && /is a secret and this client has no way to refer to one/.test(r.reason)) {
      needsPlaintext.push({ serverId: g.serverId, server: r.name, key: g.key, note: g.note });
      refused.push(r);
      continue;
    }
    // A secret this client cannot refer to: offered for plaintext confirmation, one per value.
    const m = /^The (?:variable|header) (.+) is a secret and this client has no way to refer to one/.exec(r.reason);
    const id = ids.get(r.name);
    if (m && id) {
      const s = deps.stored(id);
      const field = s.transport === 'stdio' ? 'env' : 'headers';
      const list = s.transport === 'stdio' ? s.env : s.headers;
      for (const v of list)
        if (v.secret && !req.plaintextConfirmed.includes(`${id}:${field}:${v.name}`))
          needsPlaintext.push({
            serverId: id,
            server: r.name,
            key: `${id}:${field}:${v.name}`,
            note: `${v.name} is a secret; this client can only take it written in plaintext in ${location.path}.`,
          });
    }
    refused.push(r);
  }
  return {
    path: location.path,
    exists: text !== undefined,
    expectedHash: hashText(text),
    diff: changedHunks(result.diff).map((d) => ({ ...d, text: maskLine(d.text, plaintext) })),
    written: result.written,
    refused,
    warnings: [...warnings, ...result.warnings],
    indirections: result.indirections.map((i) => ({ server: i.server, name: i.name, placeholder: i.placeholder, note: i.note })),
    needsPlaintext,
  };
}

export async function write(deps: ExportDeps, req: ExportRequest & { expectedHash: string }) {
  const { location, text, result } = await compute(deps, req);
  if (hashText(text) !== req.expectedHash) throw new IpcError('CONFLICT', `${location.path} changed since the preview was made; review the changes again.`);
  if (!result.written.length) throw new IpcError('VALIDATION', 'Nothing to write: every server was refused.');
  try {
    const { backup } = writeConfigFile(location.path, result.text, { expected: text });
    return { path: location.path, ...(backup ? { backup } : {}), written: result.written };
  } catch (e) {
    if (e instanceof ClientConfigError) throw new IpcError('CONFLICT', e.message);
    throw e;
  }
}

/** Switchboard's own mcpServers file; secrets become ${NAME} (nothing is read from the vault). */
export async function ownFile(deps: ExportDeps, ids: string[]): Promise<string> {
  const { entries } = await entriesOf(deps, { path: '', projectFolders: [], serverIds: ids, plaintextConfirmed: [] });
  return mcpServersFile.write(undefined, entries).text;
}
