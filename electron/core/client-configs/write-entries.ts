import { applyEdits, modify, type JSONPath, type Node } from 'jsonc-parser';
import { lineDiff } from './diff';
import { detectIndent, parseDocument, prop, properties } from './json-doc';
import { ClientConfigError, type ExportEntry, type ExportValue, type Indirection, type InputDeclaration, type WriteResult } from './types';

// Writes servers into a client's file by editing the text in place (jsonc-parser's
// modify): keys Switchboard does not own, other servers, comments and formatting
// stay as they were. Within an entry Switchboard owns only the launch fields;
// anything else there (disabled, autoApprove, dev…) is kept.

export interface WriteSpec {
  jsonc: boolean;
  serversPath: JSONPath;
  /** How the client takes a remote server, or why it cannot. */
  remote: { urlKey: 'url' | 'serverUrl'; type: boolean | 'sse-only' } | { refuse: string };
  /** Write "type": "stdio" on stdio entries. */
  stdioType: boolean;
  /** The client has a working-directory field. */
  cwd: boolean;
  /** The client's own way to refer to a secret instead of holding it. */
  indirection: 'none' | 'env-colon' | 'env-dollar' | 'vscode-input';
  inputsPath?: JSONPath;
}

const OWNED = ['type', 'command', 'args', 'cwd', 'env', 'url', 'serverUrl', 'headers'];

export function writeEntries(existing: string | undefined, entries: ExportEntry[], spec: WriteSpec): WriteResult {
  const before = existing ?? '';
  const bom = before.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  let text = before.slice(bom.length).trim() ? before.slice(bom.length) : '{}\n';
  const doc = parseDocument(text, { jsonc: spec.jsonc });
  const broken = doc.problems.find((p) => p.severity === 'error');
  // Editing a file we cannot read fully could lose what we did not understand.
  if (broken || !doc.root)
    throw new ClientConfigError(
      `Not writing: the file cannot be read as it is (${broken?.reason ?? 'no top-level object'}). Fix or move it first.`,
      broken?.line,
    );
  const serversNode = at(doc.root, spec.serversPath);
  if (serversNode && serversNode.type !== 'object')
    throw new ClientConfigError(`Not writing: "${spec.serversPath.join('.')}" is not an object.`, doc.position(serversNode.offset).line);
  const formattingOptions = { ...detectIndent(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const edit = (path: JSONPath, value: unknown) => {
    text = applyEdits(text, modify(text, path, value, { formattingOptions }));
  };
  const result: WriteResult = { text, diff: [], written: [], refused: [], indirections: [], warnings: [] };
  const newInputs: InputDeclaration[] = [];
  for (const entry of entries) {
    const shaped = shape(entry, spec, result.indirections, newInputs);
    if ('refused' in shaped) {
      result.refused.push({ name: entry.name, reason: shaped.refused });
      continue;
    }
    const path = [...spec.serversPath, entry.name];
    const current = serversNode ? prop(serversNode, entry.name) : undefined;
    if (current?.type === 'object') {
      const present = new Set(properties(current).map(([k]) => k));
      for (const key of OWNED) if (present.has(key) && !(key in shaped.fields)) edit([...path, key], undefined);
      for (const [key, value] of Object.entries(shaped.fields)) edit([...path, key], value);
    } else edit(path, shaped.fields);
    result.written.push(entry.name);
    if (spec.indirection !== 'none') {
      const ours = new Set(result.indirections.filter((i) => i.server === entry.name).map((i) => i.placeholder));
      const literal = literalReferences(shaped.fields, ours);
      if (literal.length)
        result.warnings.push({
          name: entry.name,
          reason: `The client expands ${literal.join(', ')} itself; Switchboard passes this text as it is, so the server may get a different value there.`,
        });
    }
  }
  if (newInputs.length && spec.inputsPath) addInputs(newInputs, spec.inputsPath, () => text, edit, spec.jsonc);
  result.text = bom + text;
  result.diff = lineDiff(before.slice(bom.length), text);
  return result;
}

function at(root: Node, path: JSONPath): Node | undefined {
  let node: Node | undefined = root;
  for (const key of path) node = typeof key === 'string' ? prop(node, key) : undefined;
  return node;
}

function addInputs(inputs: InputDeclaration[], path: JSONPath, current: () => string, edit: (p: JSONPath, v: unknown) => void, jsonc: boolean): void {
  const doc = parseDocument(current(), { jsonc });
  const list = doc.root ? at(doc.root, path) : undefined;
  const have = new Set<string>();
  for (const item of list?.type === 'array' ? (list.children ?? []) : []) {
    const id = prop(item, 'id');
    if (id?.type === 'string') have.add(id.value as string);
  }
  if (list && list.type !== 'array') throw new ClientConfigError(`Not writing: "${path.join('.')}" is not an array.`, doc.position(list.offset).line);
  let count = list?.children?.length ?? 0;
  for (const input of inputs) {
    if (have.has(input.id)) continue;
    have.add(input.id);
    if (!list && count === 0) edit(path, [input]);
    else edit([...path, count], input);
    count++;
  }
}

type Shaped = { fields: Record<string, unknown> } | { refused: string };

function shape(entry: ExportEntry, spec: WriteSpec, indirections: Indirection[], inputs: InputDeclaration[]): Shaped {
  const pending: Indirection[] = [];
  const values = (field: 'env' | 'headers', list: ExportValue[]): Record<string, string> | string => {
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const v of list) {
      if (!v.secret || v.plaintextConfirmed) {
        out[v.name] = v.value;
        continue;
      }
      const ref = reference(entry.name, field, v.name, spec, inputs);
      if (!ref)
        return `${field === 'env' ? 'The variable' : 'The header'} ${v.name} is a secret and this client has no way to refer to one: confirm writing it in plaintext, or leave the server out.`;
      out[v.name] = (v.prefix ?? '') + ref.placeholder;
      pending.push(ref);
    }
    return out;
  };
  const fields: Record<string, unknown> = {};
  if (entry.transport === 'stdio') {
    if (!entry.command.trim()) return { refused: 'The server has no command.' };
    if (entry.cwd && !spec.cwd)
      return { refused: `The server runs in ${entry.cwd} and this client has no working-directory setting; written without it, it would run elsewhere.` };
    if (spec.stdioType) fields.type = 'stdio';
    fields.command = entry.command;
    fields.args = [...entry.args];
    if (entry.cwd) fields.cwd = entry.cwd;
    const env = values('env', entry.env);
    if (typeof env === 'string') return { refused: env };
    if (Object.keys(env).length) fields.env = { ...env };
  } else {
    if ('refuse' in spec.remote) return { refused: spec.remote.refuse };
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      return { refused: `Not a valid URL: ${entry.url}` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { refused: `Only http(s) URLs are written, not "${url.protocol}".` };
    if (spec.remote.type === true || (spec.remote.type === 'sse-only' && entry.mode === 'sse')) fields.type = entry.mode === 'sse' ? 'sse' : 'http';
    fields[spec.remote.urlKey] = entry.url;
    const headers = values('headers', entry.headers);
    if (typeof headers === 'string') return { refused: headers };
    if (Object.keys(headers).length) fields.headers = { ...headers };
  }
  indirections.push(...pending);
  return { fields };
}

function reference(server: string, field: 'env' | 'headers', name: string, spec: WriteSpec, inputs: InputDeclaration[]): Indirection | undefined {
  const envName =
    field === 'env'
      ? name
      : `${server}_${name}`
          .toUpperCase()
          .replace(/[^A-Z0-9_]/g, '_')
          .replace(/^(?=[0-9])/, '_');
  const base = { server, field, name };
  switch (spec.indirection) {
    case 'env-colon':
      return { ...base, placeholder: `\${env:${envName}}`, note: `Set ${envName} in the environment the client starts with.` };
    case 'env-dollar':
      return { ...base, placeholder: `\${${envName}}`, note: `Set ${envName} in the environment the client starts with.` };
    case 'vscode-input': {
      const description = `${name} for ${server}`;
      const stem = `${server}-${name}`
        .toLowerCase()
        .replace(/[^a-z0-9_.-]/g, '-')
        .slice(0, 100);
      // "a-b"+"c" and "a"+"b-c" would share an id, and VS Code would ask once for two secrets.
      let id = stem;
      for (let n = 2; inputs.some((i) => i.id === id && i.description !== description); n++) id = `${stem}-${n}`;
      if (!inputs.some((i) => i.id === id)) inputs.push({ id, type: 'promptString', description, password: true });
      return {
        ...base,
        placeholder: `\${input:${id}}`,
        note: `VS Code asks for ${name} once, when the server first starts, and keeps it in its own secret storage.`,
      };
    }
    default:
      return undefined;
  }
}

/** `${…}` text in the values written (other than our own references), which the client would expand. */
function literalReferences(fields: Record<string, unknown>, ours: Set<string>): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      if (ours.has(v)) return;
      for (const m of v.matchAll(/\$\{[^{}]{1,256}\}/g)) if (found.size < 10) found.add(m[0]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(fields);
  return [...found];
}
