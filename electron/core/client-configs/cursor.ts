import { parseDocument, prop } from './json-doc';
import { readEntries } from './read-entries';
import type { ExportEntry, ParseResult, Scope, WriteResult } from './types';
import { writeEntries } from './write-entries';

// ~/.cursor/mcp.json and <project>/.cursor/mcp.json: mcpServers entries with
// command/args/env or url/headers; ${env:NAME}, ${userHome}, ${workspaceFolder}.
// "type" is optional there: written only to mark a legacy SSE server.

export function parse(text: string, context: { scope: Scope } = { scope: 'user' }): ParseResult {
  const doc = parseDocument(text, { jsonc: false });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  readEntries(
    doc,
    prop(doc.root, 'mcpServers'),
    {
      client: 'cursor',
      syntax: 'cursor',
      scope: context.scope,
      urlKeys: ['url'],
      envFile: true,
      ignored: { auth: 'static OAuth client settings are entered in Switchboard’s sign-in settings instead.' },
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
    remote: { urlKey: 'url', type: 'sse-only' },
    stdioType: false,
    cwd: false,
    indirection: 'env-colon',
  });
}
