import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixture } from './fixtures';

/** Where each client keeps its user config under a Linux home (no XDG_CONFIG_HOME), with the fixture copied there. */
export const HOME_FILES = {
  'claude-desktop': ['.config/Claude/claude_desktop_config.json', 'claude-desktop/claude_desktop_config.json'],
  'claude-code': ['.claude.json', 'claude-code/claude.json'],
  cursor: ['.cursor/mcp.json', 'cursor/mcp.json'],
  vscode: ['.config/Code/User/mcp.json', 'vscode/mcp.json'],
  windsurf: ['.codeium/windsurf/mcp_config.json', 'windsurf/mcp_config.json'],
} as const;

/** A temporary home holding one real-shaped config per client. Returns each file's path. */
export function fillHome(home: string): Record<keyof typeof HOME_FILES, string> {
  const out = {} as Record<keyof typeof HOME_FILES, string>;
  for (const [client, [rel, source]] of Object.entries(HOME_FILES) as [keyof typeof HOME_FILES, readonly [string, string]][]) {
    const path = join(home, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fixture(source));
    out[client] = path;
  }
  return out;
}
