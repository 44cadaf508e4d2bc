import { describe, expect, it } from 'vitest';
import { configPaths } from '../../electron/core/client-configs';

const pathsOf = (list: ReturnType<typeof configPaths>, client: string) => list.filter((l) => l.client === client).map((l) => l.path);

describe('client config paths', () => {
  it('macOS: Application Support for the desktop apps, dotfiles in the home folder', () => {
    const list = configPaths({ HOME: '/Users/ada' }, 'darwin', ['/Users/ada/src/shop']);
    expect(pathsOf(list, 'claude-desktop')).toEqual(['/Users/ada/Library/Application Support/Claude/claude_desktop_config.json']);
    expect(pathsOf(list, 'claude-code')).toEqual(['/Users/ada/.claude.json', '/Users/ada/src/shop/.mcp.json']);
    expect(pathsOf(list, 'cursor')).toEqual(['/Users/ada/.cursor/mcp.json', '/Users/ada/src/shop/.cursor/mcp.json']);
    expect(pathsOf(list, 'vscode')).toEqual([
      '/Users/ada/Library/Application Support/Code/User/mcp.json',
      '/Users/ada/Library/Application Support/Code/User/settings.json',
      '/Users/ada/src/shop/.vscode/mcp.json',
      '/Users/ada/src/shop/.vscode/settings.json',
    ]);
    expect(pathsOf(list, 'windsurf')).toEqual(['/Users/ada/.codeium/windsurf/mcp_config.json', '/Users/ada/.codeium/mcp_config.json']);
  });

  it('Windows: APPDATA and USERPROFILE, with backslashes', () => {
    const list = configPaths({ USERPROFILE: 'C:\\Users\\ada', APPDATA: 'D:\\Roaming', HOME: '/should/not/win' }, 'win32');
    expect(pathsOf(list, 'claude-desktop')).toEqual(['D:\\Roaming\\Claude\\claude_desktop_config.json']);
    expect(pathsOf(list, 'claude-code')).toEqual(['C:\\Users\\ada\\.claude.json']);
    expect(pathsOf(list, 'vscode')).toEqual(['D:\\Roaming\\Code\\User\\mcp.json', 'D:\\Roaming\\Code\\User\\settings.json']);
    expect(pathsOf(list, 'windsurf')[0]).toBe('C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json');
  });

  it('Windows without APPDATA falls back to the profile’s AppData\\Roaming', () => {
    const list = configPaths({ USERPROFILE: 'C:\\Users\\ada' }, 'win32');
    expect(pathsOf(list, 'claude-desktop')).toEqual(['C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json']);
  });

  it('Linux: XDG_CONFIG_HOME when set, ~/.config otherwise', () => {
    expect(pathsOf(configPaths({ HOME: '/home/ada', XDG_CONFIG_HOME: '/xdg' }, 'linux'), 'vscode')[0]).toBe('/xdg/Code/User/mcp.json');
    const plain = configPaths({ HOME: '/home/ada' }, 'linux');
    expect(pathsOf(plain, 'claude-desktop')).toEqual(['/home/ada/.config/Claude/claude_desktop_config.json']);
    expect(pathsOf(plain, 'cursor')).toEqual(['/home/ada/.cursor/mcp.json']);
  });

  it('without a home folder, nothing is guessed', () => {
    expect(configPaths({}, 'linux')).toEqual([]);
    expect(configPaths({ HOME: '' }, 'darwin')).toEqual([]);
  });
});
