import { createScanner, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LIMITS, type Problem } from './types';

// Reading a config file as a syntax tree, never as objects: values are read
// from the nodes, so a "__proto__" key is just a name, nothing is evaluated, and
// every entry keeps its position for the problem list.

export interface Doc {
  root: Node | undefined;
  problems: Problem[];
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number };
}

export interface DocOptions {
  /** VS Code: comments and trailing commas are part of the format. Others: plain JSON. */
  jsonc: boolean;
  maxBytes?: number;
}

export function parseDocument(raw: string, options: DocOptions): Doc {
  // Windows editors save a byte-order mark; a blank of the same length keeps every offset.
  const text = raw.charCodeAt(0) === 0xfeff ? ' ' + raw.slice(1) : raw;
  const lineStarts = [0];
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const max = options.maxBytes ?? LIMITS.fileBytes;
  if (Buffer.byteLength(text, 'utf8') > max) {
    return { root: undefined, problems: [{ severity: 'error', reason: `The file is larger than ${Math.round(max / 1024)} KiB; not read.` }], position };
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // The tree parser recurses per nesting level: measure the depth first, iteratively.
  const deep = tooDeepAt(text, LIMITS.depth);
  if (deep !== undefined) {
    return {
      root: undefined,
      problems: [{ severity: 'error', reason: `Nested more than ${LIMITS.depth} levels deep; not read.`, ...position(deep) }],
      position,
    };
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: options.jsonc, disallowComments: !options.jsonc, allowEmptyContent: true });
  const problems: Problem[] = errors.slice(0, 20).map((e) => ({
    severity: 'error' as const,
    reason: `Malformed ${options.jsonc ? 'JSONC' : 'JSON'}: ${describe(printParseErrorCode(e.error))}.`,
    ...position(e.offset),
  }));
  if (errors.length > 20) problems.push({ severity: 'error', reason: `${errors.length - 20} more syntax errors.` });
  if (root && root.type !== 'object')
    problems.push({ severity: 'error', reason: 'The file must hold a JSON object at the top level.', ...position(root.offset) });
  return { root: root?.type === 'object' ? root : undefined, problems, position };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function tooDeepAt(text: string, limit: number): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== 17 /* EOF */; kind = scanner.scan()) {
    if (kind === 1 || kind === 3) {
      if (++depth > limit) return scanner.getTokenOffset();
    } else if (kind === 2 || kind === 4) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** The object's properties in order, as [key, value node, key node]. */
export function properties(node: Node | undefined): [string, Node, Node][] {
  if (!node || node.type !== 'object') return [];
  const out: [string, Node, Node][] = [];
  for (const p of node.children ?? []) {
    const [key, value] = p.children ?? [];
    if (key && value && typeof key.value === 'string') out.push([key.value, value, key]);
  }
  return out;
}

/** A property's value node; the last one wins, as in JSON.parse. */
export function prop(node: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const [k, v] of properties(node)) if (k === key) found = v;
  return found;
}

export const stringOf = (node: Node | undefined): string | undefined => (node?.type === 'string' ? (node.value as string) : undefined);
export const booleanOf = (node: Node | undefined): boolean | undefined => (node?.type === 'boolean' ? (node.value as boolean) : undefined);

/** Indentation of an existing file, so edits match it. */
export function detectIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return { insertSpaces: true, tabSize: 2 };
  if (m[1]!.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: Math.min(8, m[1]!.length) };
}
