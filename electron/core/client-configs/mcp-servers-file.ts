import { parseDocument, prop } from './json-doc';
import { readEntries } from './read-entries';
import type { ExportEntry, ParseResult, WriteResult } from './types';
import { writeEntries } from './write-entries';

// Switchboard's own export: the common {"mcpServers": {…}} shape with type,
// command, args, cwd, env, url and headers. A secret is written as ${NAME}
// unless confirmed, so importing the file back asks for it instead of leaking it.

export function parse(text: string): ParseResult {
  const doc = parseDocument(text, { jsonc: true });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  readEntries(
    doc,
    prop(doc.root, 'mcpServers'),
    { client: 'switchboard', syntax: 'claude-code', scope: 'user', urlKeys: ['url'], cwd: true },
    out,
    'mcpServers',
  );
  return out;
}

export function write(existing: string | undefined, servers: ExportEntry[]): WriteResult {
  return writeEntries(existing, servers, {
    jsonc: true,
    serversPath: ['mcpServers'],
    remote: { urlKey: 'url', type: true },
    stdioType: true,
    cwd: true,
    indirection: 'env-dollar',
  });
}
