import * as claudeCode from './claude-code';
import * as claudeDesktop from './claude-desktop';
import * as cursor from './cursor';
import { configPaths, type ConfigFormat, type ConfigLocation, type Env } from './paths';
import { readBoundedFile } from './read-file';
import type { ParseResult } from './types';
import * as vscode from './vscode';
import * as windsurf from './windsurf';

// Finds and reads every client config on this machine (as the env and platform
// given describe it). Reads only; what to import is the user's choice.

export interface FoundConfig {
  location: ConfigLocation;
  /** The text as read, so a later write can check nothing changed meanwhile. */
  text?: string;
  result?: ParseResult;
  /** Present but unreadable: too large, not a regular file, no permission. */
  problem?: string;
}

export function parseFormat(format: ConfigFormat, text: string, location?: Pick<ConfigLocation, 'scope'>): ParseResult {
  switch (format) {
    case 'claude-desktop':
      return claudeDesktop.parse(text);
    case 'claude-code-user':
      return claudeCode.parse(text, { file: 'user' });
    case 'claude-code-project':
      return claudeCode.parse(text, { file: 'project' });
    case 'cursor':
      return cursor.parse(text, { scope: location?.scope ?? 'user' });
    case 'vscode-mcp':
    case 'vscode-settings':
      return vscode.parse(text, { kind: format === 'vscode-mcp' ? 'mcp' : 'settings', scope: location?.scope === 'workspace' ? 'workspace' : 'user' });
    case 'windsurf':
      return windsurf.parse(text);
  }
}

/** The config files that exist, each read and parsed; missing ones are left out. */
export function scanConfigs(env: Env, platform: NodeJS.Platform, folders: readonly string[] = []): FoundConfig[] {
  const found: FoundConfig[] = [];
  for (const location of configPaths(env, platform, folders)) {
    const read = readBoundedFile(location.path);
    if ('missing' in read) continue;
    if ('problem' in read) found.push({ location, problem: read.problem });
    else found.push({ location, text: read.text, result: parseFormat(location.format, read.text, location) });
  }
  return found;
}
