import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

// The headless bridge mode of the app's executable, against a stand-in
// `electron` module (the Electron binary cannot run here): the flag is handled
// before the single-instance lock and before any window.
const calls: string[] = [];
const exited: number[] = [];
vi.mock('electron', () => {
  const record = (name: string, value?: unknown) => () => {
    calls.push(name);
    return value;
  };
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: record('requestSingleInstanceLock', true),
      whenReady: () => {
        calls.push('whenReady');
        return new Promise(() => undefined);
      },
      on: record('on'),
      quit: record('quit'),
      setPath: record('setPath'),
      getPath: () => '/tmp',
      dock: { hide: record('dock.hide') },
      disableHardwareAcceleration: record('disableHardwareAcceleration'),
      exit: (code: number) => exited.push(code),
    },
    BrowserWindow: vi.fn(() => calls.push('BrowserWindow')),
    dialog: {},
    shell: {},
    protocol: { registerSchemesAsPrivileged: record('registerSchemesAsPrivileged'), handle: record('protocol.handle') },
    session: { defaultSession: {} },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    net: { fetch: vi.fn() },
    safeStorage: {},
  };
});

// Packages that load the real `electron` themselves (CommonJS, outside vi.mock's reach).
vi.mock('electron-store', () => ({ default: class {} }));

const { bridgeRequested, runBridgeMode } = await import('./bridge-mode');

function fakeProcess(argv: string[], env: Record<string, string> = {}) {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = new PassThrough();
  return { proc: { argv, env, stdin, stdout: new PassThrough(), stderr } as never, stdin, err: () => err };
}

describe('bridge mode', () => {
  it('is asked for with --mcp-bridge anywhere on the command line', () => {
    expect(bridgeRequested(['/Applications/Switchboard', '--mcp-bridge', '--server-url', 'x'])).toBe(true);
    expect(bridgeRequested(['/Applications/Switchboard'])).toBe(false);
  });

  it('hides the dock icon, draws nothing, and exits with the bridge’s code (a token in argv refused)', async () => {
    calls.length = 0;
    exited.length = 0;
    const { electronApp } = { electronApp: (await import('electron')).app };
    const p = fakeProcess(['/opt/Switchboard/switchboard', '--mcp-bridge', '--server-url', 'http://127.0.0.1:9/s/a/mcp', '--token=sbg_abcdefghijkl']);
    expect(await runBridgeMode(electronApp as never, p.proc)).toBe(2);
    await vi.waitFor(() => expect(exited).toEqual([2]));
    expect(calls).toEqual(['dock.hide', 'disableHardwareAcceleration']);
    expect(p.err()).toContain('SWITCHBOARD_GATEWAY_TOKEN');
    expect(p.err()).not.toContain('sbg_abcdefghijkl');
  });

  it('main handles the flag before the single-instance lock, the ready event or any window', async () => {
    calls.length = 0;
    exited.length = 0;
    const saved = process.argv;
    process.argv = ['/opt/Switchboard/switchboard', '--mcp-bridge', '--server-url', 'https://example.com/mcp'];
    // electron-vite defines this at build time.
    (globalThis as { __SWITCHBOARD_E2E_BUILD__?: boolean }).__SWITCHBOARD_E2E_BUILD__ = false;
    try {
      await import('./index');
      await vi.waitFor(() => expect(exited).toEqual([2]));
    } finally {
      process.argv = saved;
    }
    expect(calls).not.toContain('requestSingleInstanceLock');
    expect(calls).not.toContain('whenReady');
    expect(calls).not.toContain('BrowserWindow');
    expect(calls).toContain('dock.hide');
  });
});
