import { parseDocument, prop } from './json-doc';
import { readEntries } from './read-entries';
import type { ExportEntry, ParseResult, WriteResult } from './types';
import { writeEntries } from './write-entries';

// claude_desktop_config.json: {"mcpServers": {name: {command, args, env}}, …app keys}.
// Plain JSON, stdio only, no variable expansion.

export const REMOTE_NOT_EXPORTABLE =
  'Claude Desktop runs only stdio servers from its config file, so no URL or token is written there. Give it this server through the gateway instead: in the Gateway view, create a client (or rotate its token) and choose “Write to a client’s config”; Claude Desktop then runs Switchboard’s bridge.';

export function parse(text: string): ParseResult {
  const doc = parseDocument(text, { jsonc: false });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  readEntries(doc, prop(doc.root, 'mcpServers'), { client: 'claude-desktop', syntax: 'none', scope: 'user', urlKeys: ['url'] }, out, 'mcpServers');
  for (const s of out.servers)
    if (s.url !== undefined)
      out.problems.push({
        severity: 'warning',
        reason: 'Claude Desktop does not run remote entries from its config file; it ignores this one.',
        server: s.name,
        line: s.line,
        column: s.column,
      });
  return out;
}

export function write(existing: string | undefined, servers: ExportEntry[]): WriteResult {
  return writeEntries(existing, servers, {
    jsonc: false,
    serversPath: ['mcpServers'],
    remote: { refuse: REMOTE_NOT_EXPORTABLE },
    stdioType: false,
    cwd: false,
    indirection: 'none',
  });
}
