import type { Node } from 'jsonc-parser';
import { booleanOf, parseDocument, prop, stringOf, type Doc } from './json-doc';
import { readEntries } from './read-entries';
import { LIMITS, type ExportEntry, type InputDeclaration, type ParseResult, type WriteResult } from './types';
import { writeEntries } from './write-entries';

// VS Code's mcp.json (user profile or a workspace's .vscode/mcp.json) holds
// `servers` and `inputs`; older builds kept the same under "mcp" in settings.json.
// JSONC: comments and trailing commas are part of the format and survive writes.

export interface VsCodeContext {
  /** 'settings' reads the older "mcp" key of settings.json. */
  kind: 'mcp' | 'settings';
  scope: 'user' | 'workspace';
}

const IGNORED = {
  dev: 'watch and debug settings are for developing a server in VS Code.',
  sandboxEnabled: 'VS Code’s sandbox does not apply to servers Switchboard runs.',
  oauth: 'OAuth client settings are entered in Switchboard’s sign-in settings instead.',
  gallery: 'the gallery reference is VS Code’s own.',
  version: 'the gallery version is VS Code’s own.',
} as const;

const base = (kind: VsCodeContext['kind']) => (kind === 'settings' ? ['mcp'] : []);

export function parse(text: string, context: VsCodeContext = { kind: 'mcp', scope: 'user' }): ParseResult {
  const doc = parseDocument(text, { jsonc: true });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  const holder = context.kind === 'settings' ? prop(doc.root, 'mcp') : doc.root;
  readEntries(
    doc,
    prop(holder, 'servers'),
    { client: 'vscode', syntax: 'vscode', scope: context.scope, urlKeys: ['url'], cwd: true, envFile: true, ignored: IGNORED },
    out,
    'servers',
  );
  out.inputs = readInputs(doc, prop(holder, 'inputs'), out);
  return out;
}

function readInputs(doc: Doc, list: Node | undefined, out: ParseResult): InputDeclaration[] {
  if (!list) return [];
  if (list.type !== 'array') {
    out.problems.push({ severity: 'error', reason: '"inputs" must be an array.', ...doc.position(list.offset) });
    return [];
  }
  const inputs: InputDeclaration[] = [];
  for (const item of (list.children ?? []).slice(0, LIMITS.inputs)) {
    const id = stringOf(prop(item, 'id'));
    const type = stringOf(prop(item, 'type'));
    if (!id || !type || id.length > 256) {
      out.problems.push({ severity: 'error', reason: 'An input needs a string "id" and "type".', ...doc.position(item.offset) });
      continue;
    }
    const input: InputDeclaration = { id, type, password: booleanOf(prop(item, 'password')) === true };
    const description = stringOf(prop(item, 'description'));
    if (description !== undefined) input.description = description.slice(0, 1024);
    const def = stringOf(prop(item, 'default'));
    if (def !== undefined && def.length <= LIMITS.valueChars) input.default = def;
    const options = prop(item, 'options');
    if (options?.type === 'array')
      input.options = (options.children ?? [])
        .slice(0, 256)
        .map((o) => stringOf(o) ?? stringOf(prop(o, 'value')))
        .filter((o): o is string => o !== undefined);
    // A "command" input runs a VS Code command for its answer: Switchboard asks the user instead.
    if (type === 'command')
      out.problems.push({
        severity: 'warning',
        reason: `Input "${id}" runs a VS Code command for its value; Switchboard asks you for it instead.`,
        ...doc.position(item.offset),
      });
    inputs.push(input);
  }
  return inputs;
}

export function write(existing: string | undefined, servers: ExportEntry[], context: Pick<VsCodeContext, 'kind'> = { kind: 'mcp' }): WriteResult {
  const at = base(context.kind);
  return writeEntries(existing, servers, {
    jsonc: true,
    serversPath: [...at, 'servers'],
    inputsPath: [...at, 'inputs'],
    remote: { urlKey: 'url', type: true },
    stdioType: true,
    cwd: true,
    indirection: 'vscode-input',
  });
}
