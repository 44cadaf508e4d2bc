import type { Node } from 'jsonc-parser';
import type { ImportCandidateView, ConfigInput, ConfigProblem, ServerView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { applyChoices, candidateView, convertOne, inputView, usedInputs, type HubDeps, type Selection } from './import-service';
import { parseDocument, prop, properties, stringOf } from './json-doc';
import * as mcpServersFile from './mcp-servers-file';
import type { ParseResult } from './types';
import * as vscode from './vscode';

// A config pasted into "Add server": the shapes people copy from a README or
// another client. Read through the same parsers and conversion as a client's
// file (nothing is evaluated, variables resolve the same way), so the user sees
// the same import preview; nothing runs before the launch approval.

export type PastedShape = 'mcpServers' | 'vscode' | 'single' | 'unknown';

export interface PastedParse {
  shape: PastedShape;
  result: ParseResult;
}

/** Looks like JSON rather than a command line: an object, or a `"name": {…}` entry copied out of one. */
export function looksLikeJsonConfig(text: string): boolean {
  const t = text.trim();
  return t.startsWith('{') || /^"[^"\n]{1,200}"\s*:\s*\{/.test(t);
}

const hasServerKeys = (node: Node | undefined) =>
  node?.type === 'object' && ['command', 'url', 'serverUrl', 'httpUrl'].some((k) => prop(node, k) !== undefined);

export function parsePasted(raw: string): PastedParse {
  const trimmed = raw.trim();
  // `"memory": { … }` copied out of a larger file: the braces around it were left behind.
  const text = trimmed.startsWith('"') ? `{${trimmed}}` : trimmed;
  const doc = parseDocument(text, { jsonc: true });
  const failed = (reason: string): PastedParse => ({ shape: 'unknown', result: { servers: [], problems: [{ severity: 'error', reason }], inputs: [] } });
  if (doc.problems.some((p) => p.severity === 'error') || !doc.root) return { shape: 'unknown', result: { servers: [], problems: doc.problems, inputs: [] } };
  const root = doc.root;
  if (prop(root, 'mcpServers')) return { shape: 'mcpServers', result: mcpServersFile.parse(text) };
  if (prop(root, 'servers')) return { shape: 'vscode', result: vscode.parse(text, { kind: 'mcp', scope: 'user' }) };
  if (prop(prop(root, 'mcp'), 'servers')) return { shape: 'vscode', result: vscode.parse(text, { kind: 'settings', scope: 'user' }) };
  if (hasServerKeys(root)) {
    const name = stringOf(prop(root, 'name'))?.trim().slice(0, 100) || suggestName(root);
    return { shape: 'single', result: mcpServersFile.parse(`{"mcpServers": {${JSON.stringify(name)}: ${text}}}`) };
  }
  const entries = properties(root);
  if (entries.length > 0 && entries.every(([, value]) => hasServerKeys(value)))
    return { shape: 'mcpServers', result: mcpServersFile.parse(`{"mcpServers": ${text}}`) };
  return failed(
    'This JSON has no servers: Switchboard reads an "mcpServers" object (Claude Desktop, Cursor), a "servers" object (VS Code), or one server with "command" or "url".',
  );
}

/** A name from what the server runs: the package (`@scope/server-memory@1` → memory), the program, or the host. */
function suggestName(server: Node): string {
  const url = stringOf(prop(server, 'url')) ?? stringOf(prop(server, 'serverUrl'));
  if (url) {
    try {
      return new URL(url).hostname || 'server';
    } catch {
      return 'server';
    }
  }
  const args = (prop(server, 'args')?.children ?? []).map(stringOf).filter((a): a is string => Boolean(a));
  const pkg = args.find((a) => !a.startsWith('-'));
  const base = (pkg ?? stringOf(prop(server, 'command')) ?? 'server').split(/[\\/]/).pop()!;
  const name = base
    .replace(/@.*$/, '')
    .replace(/\.(m?js|cjs|py|ts)$/, '')
    .replace(/^(mcp-server-|server-)/, '')
    .replace(/(-mcp-server|-mcp)$/, '');
  return name.slice(0, 100) || 'server';
}

export interface PastedPreview {
  shape: PastedShape;
  problems: ConfigProblem[];
  inputs: ConfigInput[];
  candidates: ImportCandidateView[];
}

export async function previewPasted(deps: HubDeps, text: string): Promise<PastedPreview> {
  const env = await deps.env();
  const existing = await deps.listServers();
  const { shape, result } = parsePasted(text);
  const conversions = result.servers.map((c) => convertOne(c, {}, result, env, deps.platform, existing, {}));
  return {
    shape,
    problems: result.problems.filter((p) => !p.server),
    inputs: usedInputs(result.inputs, conversions).map(inputView),
    candidates: conversions.map((c) =>
      candidateView(
        c,
        result.problems.filter((p) => p.server === c.candidate.name),
      ),
    ),
  };
}

export async function importPasted(
  deps: HubDeps,
  text: string,
  selections: Omit<Selection, 'path'>[],
): Promise<{ path: string; name: string; server?: ServerView; error?: string }[]> {
  const env = await deps.env();
  const { result } = parsePasted(text);
  const results: { path: string; name: string; server?: ServerView; error?: string }[] = [];
  for (const sel of selections) {
    const base = { path: 'pasted', name: sel.name };
    try {
      const candidate = result.servers.find((c) => c.name === sel.name);
      if (!candidate) throw new IpcError('NOT_FOUND', `${sel.name} is not in the pasted config.`);
      const conversion = convertOne(candidate, {}, result, env, deps.platform, await deps.listServers(), sel.inputs);
      if (!conversion.input) throw new IpcError('VALIDATION', conversion.skipped ?? 'Not importable.');
      results.push({ ...base, server: await deps.addServer(applyChoices(conversion, sel)) });
    } catch (e) {
      results.push({ ...base, error: (e as Error).message });
    }
  }
  return results;
}
