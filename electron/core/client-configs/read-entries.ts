import type { Node } from 'jsonc-parser';
import { booleanOf, properties, stringOf, type Doc } from './json-doc';
import { LIMITS, type ClientId, type ImportCandidate, type NamedValue, type ParseResult, type Problem, type Scope, type VariableSyntax } from './types';

// Reads one `mcpServers`-like map (name → entry) into import candidates. Every
// client's format is a variation on the same entry; a spec says which fields
// the client has. Strings are kept verbatim: args stay an argv array (never a
// shell line) and variables are expanded later, by variables.ts.

export interface EntrySpec {
  client: ClientId;
  syntax: VariableSyntax;
  scope: Scope;
  project?: string;
  /** Keys holding a remote server's URL, first found wins (Windsurf: serverUrl, then url). */
  urlKeys: readonly string[];
  cwd?: boolean;
  envFile?: boolean;
  /** Fields the client has that Switchboard does not carry over, with why. */
  ignored?: Readonly<Record<string, string>>;
}

const BASE_FIELDS = ['type', 'command', 'args', 'env', 'headers', 'disabled'];

export function readEntries(doc: Doc, map: Node | undefined, spec: EntrySpec, out: ParseResult, label: string): void {
  if (!map) return;
  const at = (node: Node) => doc.position(node.offset);
  if (map.type !== 'object') {
    out.problems.push({ severity: 'error', reason: `${label} must be an object of servers by name.`, ...at(map) });
    return;
  }
  const seen = new Set<string>();
  for (const [name, entry, keyNode] of properties(map)) {
    if (out.servers.length >= LIMITS.servers) {
      out.problems.push({ severity: 'error', reason: `More than ${LIMITS.servers} servers in one file; the rest are not read.`, ...at(keyNode) });
      return;
    }
    const problem = (reason: string, node: Node = entry, severity: Problem['severity'] = 'error') =>
      out.problems.push({ severity, reason, server: name, ...at(node) });
    if (seen.has(name)) problem(`"${name}" appears twice in ${label}; the client uses the last one.`, keyNode, 'warning');
    seen.add(name);
    const candidate = readEntry(name, entry, spec, problem);
    if (!candidate) continue;
    const pos = at(keyNode);
    candidate.line = pos.line;
    candidate.column = pos.column;
    // The last duplicate wins, as in the client.
    const earlier = out.servers.findIndex((s) => s.name === name && s.scope === spec.scope && s.project === spec.project);
    if (earlier >= 0) out.servers.splice(earlier, 1);
    out.servers.push(candidate);
  }
}

type Report = (reason: string, node?: Node, severity?: Problem['severity']) => void;

function readEntry(name: string, entry: Node, spec: EntrySpec, problem: Report): ImportCandidate | undefined {
  if (!name.trim() || name.length > LIMITS.nameChars) {
    problem(name.trim() ? `The server name is longer than ${LIMITS.nameChars} characters.` : 'A server has an empty name.');
    return undefined;
  }
  if (entry.type !== 'object') {
    problem(`The entry for "${name}" is not an object.`);
    return undefined;
  }
  const known = new Set([...BASE_FIELDS, ...spec.urlKeys, ...(spec.cwd ? ['cwd'] : []), ...(spec.envFile ? ['envFile'] : [])]);
  const candidate: ImportCandidate = {
    name,
    client: spec.client,
    scope: spec.scope,
    type: 'stdio',
    args: [],
    env: [],
    headers: [],
    syntax: spec.syntax,
    unknownFields: [],
  };
  if (spec.project !== undefined) candidate.project = spec.project;
  let ok = true;
  const fail = (reason: string, node?: Node) => {
    problem(reason, node);
    ok = false;
  };
  const text = (node: Node, field: string, max: number): string | undefined => {
    const value = stringOf(node);
    if (value === undefined) fail(`"${field}" must be a string.`, node);
    else if (value.length > max) fail(`"${field}" is longer than ${max} characters.`, node);
    else return value;
    return undefined;
  };
  let url: string | undefined;
  for (const [key, value, keyNode] of properties(entry)) {
    if (!known.has(key)) {
      const why = spec.ignored?.[key];
      if (why) problem(`"${key}" is not carried over: ${why}`, keyNode, 'warning');
      else {
        candidate.unknownFields.push(key);
        problem(`Unknown field "${key}" is not imported.`, keyNode, 'warning');
      }
      continue;
    }
    switch (key) {
      case 'type': {
        const t = text(value, 'type', 32);
        if (t === 'stdio' || t === 'http' || t === 'sse') candidate.type = t;
        else if (t === 'streamable-http' || t === 'streamableHttp') candidate.type = 'http';
        else if (t !== undefined) fail(`Unknown server type "${t}" (expected stdio, http or sse).`, value);
        break;
      }
      case 'command': {
        const c = text(value, 'command', LIMITS.commandChars);
        if (c !== undefined) candidate.command = c;
        break;
      }
      case 'args':
        if (value.type !== 'array') fail('"args" must be an array of strings.', value);
        else if ((value.children?.length ?? 0) > LIMITS.args) fail(`More than ${LIMITS.args} arguments.`, value);
        else
          for (const item of value.children ?? []) {
            // Numbers are common in hand-written configs ("--port", 8080); the client passes them as text too.
            const arg = item.type === 'number' ? String(item.value) : text(item, 'args[]', LIMITS.argChars);
            if (arg !== undefined) candidate.args.push(arg);
          }
        break;
      case 'cwd': {
        const c = text(value, 'cwd', LIMITS.commandChars);
        if (c !== undefined) candidate.cwd = c;
        break;
      }
      case 'envFile': {
        const f = text(value, 'envFile', LIMITS.commandChars);
        if (f !== undefined) candidate.envFile = f;
        break;
      }
      case 'env':
      case 'headers': {
        const list = readPairs(value, key, key === 'env' ? LIMITS.envEntries : LIMITS.headers, fail, problem);
        if (list) candidate[key] = list;
        break;
      }
      case 'disabled': {
        const d = booleanOf(value);
        if (d === undefined) fail('"disabled" must be true or false.', value);
        else candidate.disabled = d;
        break;
      }
      default: // a URL key
        if (url === undefined) url = text(value, key, LIMITS.urlChars);
    }
  }
  if (!ok) return undefined; // one reason per entry: the first
  if (url !== undefined) candidate.url = url;
  if (url !== undefined && candidate.type === 'stdio' && !hasType(entry)) candidate.type = 'http';
  if (candidate.command !== undefined && url !== undefined) fail('The entry has both a command and a URL; which one the client runs is unclear.');
  else if (candidate.command === undefined && url === undefined) fail('The entry has neither a command nor a URL.');
  else if (url !== undefined && candidate.type === 'stdio') fail('A stdio entry has a URL instead of a command.');
  else if (candidate.command !== undefined && candidate.type !== 'stdio') fail(`A ${candidate.type} entry has a command instead of a URL.`);
  return ok ? candidate : undefined;
}

const hasType = (entry: Node) => properties(entry).some(([k]) => k === 'type');

function readPairs(node: Node, field: string, max: number, fail: (reason: string, node?: Node) => void, problem: Report): NamedValue[] | undefined {
  if (node.type !== 'object') {
    fail(`"${field}" must be an object of names to strings.`, node);
    return undefined;
  }
  const pairs = properties(node);
  if (pairs.length > max) {
    fail(`More than ${max} entries in "${field}".`, node);
    return undefined;
  }
  const out: NamedValue[] = [];
  for (const [name, value] of pairs) {
    if (value.type === 'number' || value.type === 'boolean') out.push({ name, value: String(value.value) });
    else if (value.type === 'null') problem(`${field}.${name} is null (unset); it is left out.`, value, 'warning');
    else if (value.type !== 'string') fail(`${field}.${name} must be a string.`, value);
    else if ((value.value as string).length > LIMITS.valueChars) fail(`${field}.${name} is longer than ${LIMITS.valueChars} characters.`, value);
    else out.push({ name, value: value.value as string });
  }
  // The last duplicate wins, as in JSON.parse.
  return out.filter((p, i) => out.findLastIndex((q) => q.name === p.name) === i);
}
