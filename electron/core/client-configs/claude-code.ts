import { parseDocument, prop, properties } from './json-doc';
import { readEntries } from './read-entries';
import type { ExportEntry, ParseResult, WriteResult } from './types';
import { writeEntries } from './write-entries';

// ~/.claude.json: user scope in the top-level mcpServers, each project's local
// scope in projects["/abs/path"].mcpServers. A project's .mcp.json has the same
// top-level mcpServers (project scope). ${VAR} and ${VAR:-default} expand.

export interface ClaudeCodeContext {
  /** 'project' for a project's .mcp.json; otherwise the file is ~/.claude.json. */
  file: 'user' | 'project';
}

export function parse(text: string, context: ClaudeCodeContext = { file: 'user' }): ParseResult {
  const doc = parseDocument(text, { jsonc: false });
  const out: ParseResult = { servers: [], problems: [...doc.problems], inputs: [] };
  if (out.problems.some((p) => p.severity === 'error')) return out;
  const base = { client: 'claude-code', syntax: 'claude-code', urlKeys: ['url'] } as const;
  readEntries(doc, prop(doc.root, 'mcpServers'), { ...base, scope: context.file }, out, 'mcpServers');
  if (context.file === 'user') {
    for (const [project, node] of properties(prop(doc.root, 'projects'))) {
      readEntries(doc, prop(node, 'mcpServers'), { ...base, scope: 'local', project }, out, `projects["${project}"].mcpServers`);
    }
  }
  return out;
}

export interface ClaudeCodeWriteOptions {
  /** Write into this project's local scope in ~/.claude.json instead of the user scope. */
  project?: string;
}

export function write(existing: string | undefined, servers: ExportEntry[], options: ClaudeCodeWriteOptions = {}): WriteResult {
  const serversPath = options.project !== undefined ? ['projects', options.project, 'mcpServers'] : ['mcpServers'];
  return writeEntries(existing, servers, {
    jsonc: false,
    serversPath,
    remote: { urlKey: 'url', type: true },
    stdioType: true,
    cwd: false,
    indirection: 'env-dollar',
  });
}
