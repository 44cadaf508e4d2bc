import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Envelope } from '../../shared/contract';
import type { MainWindow } from './window-registry';

// The main process's lifecycle (window registry, quit/shutdown, startup failure,
// the IPC gate) against a stand-in `electron` module, as in main-adapters.test.ts.
// Shutdown with real server processes is in test/app/shutdown-with-servers.test.ts.
const ipcHandlers = new Map<string, (event: unknown, request: unknown) => Promise<Envelope>>();
vi.mock('electron', () => ({
  app: { on: vi.fn() },
  ipcMain: { handle: (channel: string, fn: (event: unknown, request: unknown) => Promise<Envelope>) => ipcHandlers.set(channel, fn), removeHandler: vi.fn() },
}));

const { createWindowRegistry, reopenWindowOnDemand } = await import('./window-registry');
const { forwardEvents, registerIpc } = await import('./ipc');
const { createShutdown } = await import('./shutdown');
const { runStartup } = await import('./startup');
const { methodChannel, methodNames } = await import('../../shared/contract');
const { createCore } = await import('../core/app-core');
const { createConfStore } = await import('../core/node-ports/conf-store');
const { createKeyfileCipher } = await import('../core/node-ports/keyfile-cipher');

/** Behaves like BrowserWindow where it matters: once destroyed, touching webContents throws. */
class StandInWindow extends EventEmitter {
  destroyed = false;
  minimized = false;
  readonly sent: string[] = [];
  readonly calls: string[] = [];
  private readonly contents = {
    isDestroyed: () => this.destroyed,
    send: (channel: string) => {
      if (this.destroyed) throw new TypeError('Object has been destroyed');
      this.sent.push(channel);
    },
  };
  get webContents() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    return this.contents as never;
  }
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => void this.calls.push('restore');
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}

function setup() {
  const opened: StandInWindow[] = [];
  const windows = createWindowRegistry(() => {
    const window = new StandInWindow();
    opened.push(window);
    return window as unknown as MainWindow;
  });
  const app = new EventEmitter();
  let shuttingDown = false;
  reopenWindowOnDemand(app, windows, () => shuttingDown);
  return { windows, opened, app, stopShutdown: (v: boolean) => (shuttingDown = v) };
}

describe('main window lifecycle', () => {
  it('reopens from the dock after the second close, and every window gets a closed listener', () => {
    const { windows, opened, app } = setup();
    windows.open();
    opened[0]!.close();
    app.emit('activate');
    expect(opened).toHaveLength(2);
    expect(opened[1]!.listenerCount('closed')).toBe(1);
    opened[1]!.close();
    expect(windows.current()).toBeUndefined();
    app.emit('activate');
    expect(opened).toHaveLength(3);
    expect(opened[2]!.listenerCount('closed')).toBe(1);
    expect(windows.current()).toBe(opened[2]!);
    app.emit('activate'); // a window exists: nothing new
    expect(opened).toHaveLength(3);
  });

  it('a second launch with no window opens one; with a minimized window restores and focuses it', () => {
    const { windows, opened, app } = setup();
    windows.open();
    opened[0]!.close();
    expect(() => app.emit('second-instance')).not.toThrow();
    expect(opened).toHaveLength(2);
    expect(windows.current()).toBe(opened[1]!);
    opened[1]!.minimized = true;
    app.emit('second-instance');
    expect(opened).toHaveLength(2);
    expect(opened[1]!.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('never hands out a destroyed window, even if closed never fired', () => {
    const { windows, opened } = setup();
    windows.open();
    opened[0]!.destroyed = true;
    expect(windows.current()).toBeUndefined();
  });

  it('opens no window while shutting down', () => {
    const { opened, app, stopShutdown } = setup();
    stopShutdown(true);
    app.emit('activate');
    app.emit('second-instance');
    expect(opened).toHaveLength(0);
  });

  it('event forwarding tolerates no window and a destroyed one', () => {
    const { windows, opened } = setup();
    let emit: ((name: string, payload: unknown) => void) | undefined;
    const core = { onEvent: (listener: typeof emit) => ((emit = listener), () => undefined) };
    forwardEvents(core as never, () => windows.current()?.webContents);
    expect(() => emit!('serverStatus', {})).not.toThrow(); // no window yet
    windows.open();
    emit!('serverStatus', {});
    expect(opened[0]!.sent).toHaveLength(1);
    opened[0]!.close();
    expect(() => emit!('serverStatus', {})).not.toThrow();
    // A getter that hands out the destroyed window's contents directly (the old bug) must not throw either.
    const stale = opened[0]!;
    forwardEvents(core as never, () => stale.webContents);
    expect(() => emit!('serverStatus', {})).not.toThrow();
  });
});

describe('shutdown', () => {
  function harness(cleanup: () => Promise<void>) {
    const app = { quit: vi.fn(), exit: vi.fn() };
    const timers: (() => void)[] = [];
    const onDeadline = vi.fn();
    const shutdown = createShutdown({
      app,
      cleanup,
      deadlineMs: 10_000,
      onDeadline,
      setTimer: (fn) => (timers.push(fn), {}),
      clearTimer: () => timers.splice(0),
    });
    const quitEvent = () => ({ preventDefault: vi.fn() });
    return { app, timers, onDeadline, shutdown, quitEvent };
  }

  it('a second quit during shutdown still waits, and cleanup runs once', async () => {
    let finish!: () => void;
    const cleanup = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { app, shutdown, quitEvent } = harness(cleanup);
    const first = quitEvent();
    shutdown.beforeQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(shutdown.started()).toBe(true);
    const second = quitEvent();
    shutdown.beforeQuit(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(app.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
    // The quit that cleanup triggers goes through.
    const last = quitEvent();
    shutdown.beforeQuit(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(app.exit).not.toHaveBeenCalled();
  });

  it('a failing cleanup still quits', async () => {
    const { app, shutdown, quitEvent } = harness(async () => {
      throw new Error('disk full');
    });
    shutdown.beforeQuit(quitEvent());
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1));
  });

  it('a cleanup that hangs past the deadline ends in app.exit, after killing what is left', async () => {
    let finish!: () => void;
    const { app, timers, onDeadline, shutdown, quitEvent } = harness(() => new Promise<void>((resolve) => (finish = resolve)));
    shutdown.beforeQuit(quitEvent());
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(onDeadline).toHaveBeenCalledTimes(1);
    expect(app.exit).toHaveBeenCalledWith(1);
    finish();
    await new Promise((r) => setTimeout(r, 10));
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('IPC during shutdown is refused with SHUTTING_DOWN and reaches no handler', async () => {
    const dispatch = vi.fn(async () => ({ ok: true as const, value: {} }));
    let stopping = false;
    registerIpc({ dispatch }, undefined, () => stopping);
    const handler = ipcHandlers.get(methodChannel(methodNames[0]!))!;
    const event = { senderFrame: { url: 'app://switchboard/index.html', parent: null } };
    expect(await handler(event, {})).toEqual({ ok: true, value: {} });
    stopping = true;
    const refused = await handler(event, {});
    expect(Envelope.parse(refused)).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
    expect(refused.ok === false && refused.error.message).toMatch(/quitting/);
    expect(dispatch).toHaveBeenCalledTimes(1);
  });
});

describe('startup failure', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('a createCore that throws shows an error box naming the step and the data folder, then exits 1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-startup-'));
    dirs.push(dataDir);
    const app = { exit: vi.fn() };
    const dialog = { showErrorBox: vi.fn() };
    // A real store whose writes fail, as on a read-only disk: the settings migration throws inside createCore.
    const real = createConfStore(dataDir);
    const store = {
      ...real,
      get: (key: string) => real.get(key),
      has: (key: string) => real.has(key),
      delete: (key: string) => real.delete(key),
      set: () => {
        throw new Error(`EACCES: permission denied, open '${join(dataDir, 'settings.json')}'`);
      },
    };
    const ok = await runStartup({ app, dialog, dataDir: () => dataDir, log: () => undefined }, async (step) => {
      step('Loading settings and the vault');
      createCore({
        cipher: createKeyfileCipher(join(dataDir, 'vault.key')),
        store,
        browser: { open: async () => undefined },
        dataDir,
        skipShellEnv: true,
        env: process.env,
      });
    });
    expect(ok).toBe(false);
    expect(dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(title).toMatch(/could not start/);
    expect(content).toContain('Loading settings and the vault failed');
    expect(content).toContain('EACCES');
    expect(content).toContain(dataDir);
    expect(app.exit).toHaveBeenCalledWith(1);
  });

  it('exits even if the error box itself fails', async () => {
    const app = { exit: vi.fn() };
    const dialog = {
      showErrorBox: vi.fn(() => {
        throw new Error('no display');
      }),
    };
    const ok = await runStartup({ app, dialog, dataDir: () => '/data', log: () => undefined }, () => {
      throw new Error('boom');
    });
    expect(ok).toBe(false);
    expect(app.exit).toHaveBeenCalledWith(1);
  });

  it('a successful start shows nothing and does not exit', async () => {
    const app = { exit: vi.fn() };
    const dialog = { showErrorBox: vi.fn() };
    expect(await runStartup({ app, dialog, dataDir: () => '/data' }, async () => undefined)).toBe(true);
    expect(dialog.showErrorBox).not.toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
  });
});
