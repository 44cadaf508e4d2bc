import { posix, win32 } from 'node:path';
import type { ClientId, Scope } from './types';

// Where each client reads its config, resolved only from the env object and
// platform given (never process.env), so a test can point at a temporary home.

export type ConfigFormat = 'claude-desktop' | 'claude-code-user' | 'claude-code-project' | 'cursor' | 'vscode-mcp' | 'vscode-settings' | 'windsurf';

export interface ConfigLocation {
  client: ClientId;
  scope: Scope;
  format: ConfigFormat;
  path: string;
  /** For project and workspace files: the folder they belong to. */
  folder?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function configPaths(env: Env, platform: NodeJS.Platform, folders: readonly string[] = []): ConfigLocation[] {
  const path = platform === 'win32' ? win32 : posix;
  const set = (v: string | undefined) => (v && v.trim() ? v : undefined);
  const home = platform === 'win32' ? (set(env.USERPROFILE) ?? set(env.HOME)) : set(env.HOME);
  // The per-user application data folder each client's own desktop app uses.
  const appData =
    platform === 'win32'
      ? (set(env.APPDATA) ?? (home ? path.join(home, 'AppData', 'Roaming') : undefined))
      : platform === 'darwin'
        ? home && path.join(home, 'Library', 'Application Support')
        : (set(env.XDG_CONFIG_HOME) ?? (home ? path.join(home, '.config') : undefined));
  const out: ConfigLocation[] = [];
  const add = (client: ClientId, scope: Scope, format: ConfigFormat, file: string | undefined, folder?: string) => {
    if (file) out.push(folder === undefined ? { client, scope, format, path: file } : { client, scope, format, path: file, folder });
  };
  // Linux has no official Claude Desktop; community builds (and MCP Inspector) use ~/.config/Claude.
  add('claude-desktop', 'user', 'claude-desktop', appData && path.join(appData, 'Claude', 'claude_desktop_config.json'));
  add('claude-code', 'user', 'claude-code-user', home && path.join(home, '.claude.json'));
  add('cursor', 'user', 'cursor', home && path.join(home, '.cursor', 'mcp.json'));
  add('vscode', 'user', 'vscode-mcp', appData && path.join(appData, 'Code', 'User', 'mcp.json'));
  add('vscode', 'user', 'vscode-settings', appData && path.join(appData, 'Code', 'User', 'settings.json'));
  add('windsurf', 'user', 'windsurf', home && path.join(home, '.codeium', 'windsurf', 'mcp_config.json'));
  // One localized Windsurf doc names this path; look there too.
  add('windsurf', 'user', 'windsurf', home && path.join(home, '.codeium', 'mcp_config.json'));
  for (const folder of folders) {
    add('claude-code', 'project', 'claude-code-project', path.join(folder, '.mcp.json'), folder);
    add('cursor', 'project', 'cursor', path.join(folder, '.cursor', 'mcp.json'), folder);
    add('vscode', 'workspace', 'vscode-mcp', path.join(folder, '.vscode', 'mcp.json'), folder);
    add('vscode', 'workspace', 'vscode-settings', path.join(folder, '.vscode', 'settings.json'), folder);
  }
  return out;
}

/** The user's home for ${userHome}: the same rule as configPaths. */
export function homeOf(env: Env, platform: NodeJS.Platform): string | undefined {
  return (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME) || undefined;
}
