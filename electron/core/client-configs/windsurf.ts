import { parseDocument, prop } from './json-doc';
import { readEntries } from './read-entries';
import type { ExportEntry, ParseResult, WriteResult } from './types';
import { writeEntries } from './write-entries';

// ~/.codeium/windsurf/mcp_config.json: mcpServers; remote entries use serverUrl
// (or url) with headers. Its variable syntax is not confirmed by its docs, so
// nothing is expanded and a secret is never replaced by a guessed reference.

export function parse(text: string): ParseResult {
  const doc = parseDocument(text, { jsonc: false });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  readEntries(
    doc,
    prop(doc.root, 'mcpServers'),
    {
      client: 'windsurf',
      syntax: 'none',
      scope: 'user',
      urlKeys: ['serverUrl', 'url'],
      ignored: { disabledTools: 'tool filtering per client is not imported.' },
    },
    out,
    'mcpServers',
  );
  return out;
}

export function write(existing: string | undefined, servers: ExportEntry[]): WriteResult {
  return writeEntries(existing, servers, {
    jsonc: false,
    serversPath: ['mcpServers'],
    remote: { urlKey: 'serverUrl', type: false },
    stdioType: false,
    cwd: false,
    indirection: 'none',
  });
}
