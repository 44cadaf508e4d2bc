import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { scanConfigs } from '../../electron/core/client-configs';

const fixtures = resolve(import.meta.dirname, '../fixtures/client-configs');
const track = useCleanup();

function place(home: string, from: string, to: string): void {
  mkdirSync(dirname(join(home, to)), { recursive: true });
  cpSync(join(fixtures, from), join(home, to));
}

describe('scanning a (temporary) home for client configs', () => {
  it('finds each client’s file where that client reads it, on Linux, from the env given', () => {
    const home = track.tempDir('home-');
    place(home, 'claude-desktop/claude_desktop_config.json', '.config/Claude/claude_desktop_config.json');
    place(home, 'claude-code/claude.json', '.claude.json');
    place(home, 'cursor/mcp.json', '.cursor/mcp.json');
    place(home, 'vscode/mcp.json', '.config/Code/User/mcp.json');
    place(home, 'windsurf/mcp_config.json', '.codeium/windsurf/mcp_config.json');
    place(home, 'claude-code/mcp.json', 'project/.mcp.json');
    mkdirSync(join(home, '.codeium'), { recursive: true });
    writeFileSync(join(home, '.codeium', 'mcp_config.json'), '{ broken');
    const found = scanConfigs({ HOME: home }, 'linux', [join(home, 'project')]);
    expect(found.map((f) => [f.location.client, f.location.path.slice(home.length), f.result?.servers.length])).toEqual([
      ['claude-desktop', '/.config/Claude/claude_desktop_config.json', 2],
      ['claude-code', '/.claude.json', 3],
      ['cursor', '/.cursor/mcp.json', 2],
      ['vscode', '/.config/Code/User/mcp.json', 3],
      ['windsurf', '/.codeium/windsurf/mcp_config.json', 2],
      ['windsurf', '/.codeium/mcp_config.json', 0],
      ['claude-code', '/project/.mcp.json', 1],
    ]);
    expect(found[5]!.result!.problems[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(found[6]!.result!.servers[0]!.scope).toBe('project');
  });

  it('a directory where a config file should be is reported, not read', () => {
    const home = track.tempDir('home-');
    mkdirSync(join(home, '.cursor', 'mcp.json'), { recursive: true });
    const found = scanConfigs({ HOME: home }, 'linux');
    expect(found).toEqual([expect.objectContaining({ problem: expect.stringContaining('not a regular file') })]);
  });
});
