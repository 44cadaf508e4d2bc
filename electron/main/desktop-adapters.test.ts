import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayModel } from '../core/desktop';

// The desktop adapters (tray, app menu, notifications, login item, data folder,
// save dialog, window bounds) against a stand-in `electron` module: what they
// hand to Electron, and what Electron's callbacks make them do.

const electron = vi.hoisted(() => {
  const trays: StandInTray[] = [];
  const notifications: StandInNotification[] = [];
  class StandInTray {
    tooltip = '';
    title = '';
    menu: MenuItemConstructorOptions[] = [];
    destroyed = false;
    handlers: Record<string, () => void> = {};
    constructor(readonly image: unknown) {
      trays.push(this);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setTitle(t: string) {
      this.title = t;
    }
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }) {
      this.menu = menu.template;
    }
    on(event: string, fn: () => void) {
      this.handlers[event] = fn;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  class StandInNotification {
    static supported = true;
    static isSupported() {
      return StandInNotification.supported;
    }
    shown = false;
    handlers: Record<string, () => void> = {};
    constructor(readonly options: { title: string; body: string }) {
      notifications.push(this);
    }
    on(event: string, fn: () => void) {
      this.handlers[event] = fn;
    }
    show() {
      this.shown = true;
    }
  }
  const appMenu: { template?: MenuItemConstructorOptions[] } = {};
  return {
    trays,
    notifications,
    appMenu,
    module: {
      Tray: StandInTray,
      Notification: StandInNotification,
      Menu: {
        buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
        setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] }) => (appMenu.template = menu.template),
      },
      nativeImage: { createFromPath: (p: string) => ({ path: p, resize: (size: unknown) => ({ path: p, size }) }) },
      shell: { openPath: vi.fn(async () => '') },
    },
  };
});
vi.mock('electron', () => electron.module);

const { trayMenuTemplate, createTray } = await import('./tray');
const { appMenuTemplate } = await import('./app-menu');
const { attachDesktopShell } = await import('./desktop-shell');
const { createNotifier, createLoginItem, createFolderOpener, createSavePathChooser, LINUX_LOGIN_ITEM, DEV_LOGIN_ITEM } = await import('./desktop-ports');
const { trackWindowBounds } = await import('./window-state');
const { trayModel } = await import('../core/desktop');

const server = (id: string, state: 'connected' | 'stopped' | 'error', authRequired = false) =>
  ({ id, name: id.toUpperCase(), enabled: true, status: { state, since: 0, authRequired }, trust: undefined }) as never;
const model = (): TrayModel => trayModel([server('a', 'connected'), server('b', 'stopped'), server('c', 'error', true)], 'darwin');
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();
const submenu = (item: MenuItemConstructorOptions | undefined) => item!.submenu as MenuItemConstructorOptions[];
const byLabel = (items: MenuItemConstructorOptions[], label: string) => items.find((i) => i.label === label);

afterEach(() => {
  electron.trays.length = 0;
  electron.notifications.length = 0;
  vi.useRealTimers();
});

describe('tray menu', () => {
  it('has the counts header, one submenu per server with its quick action, Open and Quit', () => {
    const handlers = { act: vi.fn(), open: vi.fn(), quit: vi.fn() };
    const items = trayMenuTemplate(model(), handlers);
    expect(items[0]).toEqual({ label: '1 of 3 servers connected, 1 with an error', enabled: false });
    expect(items.filter((i) => i.submenu).map((i) => i.label)).toEqual(['C: Sign-in needed', 'A: Connected', 'B: Stopped']);
    click(submenu(byLabel(items, 'A: Connected'))[0]);
    click(submenu(byLabel(items, 'B: Stopped'))[0]);
    click(submenu(byLabel(items, 'C: Sign-in needed'))[0]);
    click(submenu(byLabel(items, 'B: Stopped'))[1]);
    expect(handlers.act.mock.calls).toEqual([
      ['a', 'disconnect'],
      ['b', 'connect'],
      ['c', 'open'],
    ]);
    expect(handlers.open.mock.calls).toEqual([['b']]);
    click(byLabel(items, 'Open Switchboard'));
    click(byLabel(items, 'Quit Switchboard'));
    expect(handlers.open).toHaveBeenLastCalledWith();
    expect(handlers.quit).toHaveBeenCalledOnce();
    expect(trayMenuTemplate(trayModel([], 'linux'), handlers).map((i) => i.label)).toContain('Add a server in Switchboard…');
  });

  it('builds the tray from the model (macOS title), rebuilds once per burst of changes, and goes away', async () => {
    vi.useFakeTimers();
    let current = model();
    const tray = createTray({ iconPath: '/icon.png', platform: 'darwin', model: async () => current, act: vi.fn(), open: vi.fn(), quit: vi.fn() });
    await vi.advanceTimersByTimeAsync(0);
    const t = electron.trays[0]!;
    expect(t.image).toEqual({ path: '/icon.png', size: { width: 16, height: 16 } });
    expect(t.tooltip).toBe('Switchboard: 1 of 3 servers connected, 1 with an error');
    expect(t.title).toBe('1 · 1 ⚠');
    current = trayModel([server('a', 'connected'), server('b', 'connected')], 'darwin');
    const spy = vi.spyOn(t, 'setContextMenu');
    tray.refresh();
    tray.refresh();
    tray.refresh();
    await vi.advanceTimersByTimeAsync(250);
    expect(spy).toHaveBeenCalledOnce();
    expect(t.title).toBe('2');
    tray.destroy();
    expect(t.destroyed).toBe(true);
  });
});

describe('desktop shell wiring', () => {
  it('tray actions go through dispatch or open the window on the server; server events refresh the tray', async () => {
    vi.useFakeTimers();
    const listeners: ((name: string) => void)[] = [];
    const core = {
      dispatch: vi.fn(async () => ({ ok: true, value: {} })),
      onEvent: (fn: (name: string) => void) => (listeners.push(fn), () => undefined),
      desktop: {
        tray: vi.fn(async () => model()),
        navigate: vi.fn(),
        showDataFolder: vi.fn(async () => ({ opened: true })),
        exportDiagnostics: vi.fn(async () => ({})),
      },
    };
    const windows = { reveal: vi.fn() };
    const openLink = vi.fn();
    const shell = attachDesktopShell({
      core: core as never,
      windows: windows as never,
      iconPath: '/i.png',
      platform: 'linux',
      isPackaged: true,
      appName: 'Switchboard',
      openLink,
      quit: vi.fn(),
      log: vi.fn(),
    });
    await vi.advanceTimersByTimeAsync(0);
    const items = electron.trays[0]!.menu;
    click(submenu(byLabel(items, 'B: Stopped'))[0]);
    click(submenu(byLabel(items, 'A: Connected'))[0]);
    expect(core.dispatch.mock.calls).toEqual([
      ['connectServer', { serverId: 'b' }],
      ['disconnectServer', { serverId: 'a' }],
    ]);
    click(submenu(byLabel(items, 'C: Sign-in needed'))[0]);
    expect(windows.reveal).toHaveBeenCalledOnce();
    expect(core.desktop.navigate).toHaveBeenCalledWith({ view: 'server', serverId: 'c' });
    // A left click on a Linux/Windows tray opens the window.
    electron.trays[0]!.handlers.click!();
    expect(core.desktop.navigate).toHaveBeenLastCalledWith({ view: 'servers' });

    core.desktop.tray.mockClear();
    listeners.forEach((l) => l('serverChanged'));
    listeners.forEach((l) => l('historyAppended'));
    await vi.advanceTimersByTimeAsync(250);
    expect(core.desktop.tray).toHaveBeenCalledOnce();

    // The app menu: Settings navigates, Help actions reach the core and the URL-guarded opener.
    const menu = electron.appMenu.template!;
    click(byLabel(submenu(byLabel(menu, 'File')), 'Settings'));
    expect(core.desktop.navigate).toHaveBeenLastCalledWith({ view: 'settings' });
    const help = submenu(byLabel(menu, 'Help'));
    click(byLabel(help, 'Show Data Folder'));
    click(byLabel(help, 'Export Diagnostics…'));
    click(byLabel(help, 'Report an Issue'));
    expect(core.desktop.showDataFolder).toHaveBeenCalledOnce();
    expect(core.desktop.exportDiagnostics).toHaveBeenCalledOnce();
    expect(openLink).toHaveBeenCalledWith('https://github.com/switchboard-app/switchboard/issues');
    shell.dispose();
    expect(electron.trays[0]!.destroyed).toBe(true);
  });
});

describe('app menu', () => {
  const actions = { openSettings: vi.fn(), showDataFolder: vi.fn(), exportDiagnostics: vi.fn(), openLink: vi.fn() };
  const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role ?? i.label ?? i.type);
  const base = { appName: 'Switchboard', homepage: 'https://h.example', issues: 'https://i.example', actions };

  it('macOS: the app menu first, standard Edit and Window roles, Help last', () => {
    const menu = appMenuTemplate({ ...base, platform: 'darwin', isPackaged: true });
    expect(menu.map((m) => m.label)).toEqual(['Switchboard', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(submenu(menu[0]))).toEqual([
      'about',
      'separator',
      'Settings…',
      'separator',
      'services',
      'separator',
      'hide',
      'hideOthers',
      'unhide',
      'separator',
      'quit',
    ]);
    expect(roles(submenu(byLabel(menu, 'Edit')))).toEqual(['undo', 'redo', 'separator', 'cut', 'copy', 'paste', 'delete', 'separator', 'selectAll']);
    expect(roles(submenu(byLabel(menu, 'Window')))).toEqual(['minimize', 'zoom', 'separator', 'front']);
    expect(byLabel(menu, 'Help')!.role).toBe('help');
  });

  it('no developer tools or reload in a packaged app; Windows/Linux have Settings and Quit under File', () => {
    const packaged = appMenuTemplate({ ...base, platform: 'win32', isPackaged: true });
    expect(packaged.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(submenu(byLabel(packaged, 'View')))).not.toContain('toggleDevTools');
    expect(roles(submenu(byLabel(packaged, 'View')))).not.toContain('reload');
    expect(roles(submenu(byLabel(packaged, 'File')))).toEqual(['Settings', 'separator', 'quit']);
    expect(byLabel(submenu(byLabel(packaged, 'File')), 'Settings')!.accelerator).toBe('CmdOrCtrl+,');
    expect(roles(submenu(byLabel(appMenuTemplate({ ...base, platform: 'linux', isPackaged: false }), 'View')))).toContain('toggleDevTools');
  });
});

describe('desktop ports', () => {
  it('notifications: shown with the core’s text; a click opens the target', () => {
    const onClick = vi.fn();
    const notifier = createNotifier(onClick);
    expect(notifier.supported()).toBe(true);
    notifier.show({ kind: 'serverCrashed', title: 'GitHub stopped', body: 'It crashed.', target: { view: 'server', serverId: 'gh' } });
    const n = electron.notifications[0]!;
    expect(n.options).toEqual({ title: 'GitHub stopped', body: 'It crashed.' });
    expect(n.shown).toBe(true);
    n.handlers.click!();
    expect(onClick).toHaveBeenCalledWith({ view: 'server', serverId: 'gh' });
  });

  it('launch at login: on macOS and Windows in the installed app; on Linux and in development, unavailable with the reason', () => {
    const app = { isPackaged: true, getLoginItemSettings: vi.fn(() => ({ openAtLogin: true })), setLoginItemSettings: vi.fn() };
    const mac = createLoginItem(app as never, 'darwin')!;
    expect(mac.availability()).toEqual({ supported: true });
    expect(mac.get()).toBe(true);
    mac.set(false);
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: false });
    const linux = createLoginItem(app as never, 'linux')!;
    expect(linux.availability()).toEqual({ supported: false, reason: LINUX_LOGIN_ITEM });
    expect(linux.get()).toBe(false);
    linux.set(true);
    expect(app.setLoginItemSettings).toHaveBeenCalledOnce();
    expect(createLoginItem({ ...app, isPackaged: false } as never, 'win32')!.availability()).toEqual({ supported: false, reason: DEV_LOGIN_ITEM });
  });

  it('the folder opener opens the data folder and nothing else', async () => {
    const open = vi.fn(async () => '');
    const opener = createFolderOpener(() => '/data/Switchboard', open);
    expect(await opener('/data/Switchboard')).toBe('');
    expect(await opener('/etc')).toBe('Only the data folder can be opened.');
    expect(open.mock.calls).toEqual([['/data/Switchboard']]);
  });

  it('the save dialog proposes a zip in Downloads, attached to the window; cancel gives nothing', async () => {
    const dialog = { showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/home/u/Downloads/d.zip' })) };
    const window = {};
    const choose = createSavePathChooser(
      dialog as never,
      () => '/home/u/Downloads',
      () => window as never,
    );
    expect(await choose('d.zip')).toBe('/home/u/Downloads/d.zip');
    expect(dialog.showSaveDialog).toHaveBeenCalledWith(
      window,
      expect.objectContaining({ defaultPath: '/home/u/Downloads/d.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] }),
    );
    dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await choose('d.zip')).toBeUndefined();
  });
});

describe('window bounds tracking', () => {
  it('saves once after moving or resizing settles, and at close', async () => {
    vi.useFakeTimers();
    const window = Object.assign(new EventEmitter(), {
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      maximized: false,
      getNormalBounds() {
        return this.bounds;
      },
      isMaximized() {
        return this.maximized;
      },
      isDestroyed: () => false,
    });
    const save = vi.fn();
    trackWindowBounds(window, save, 500);
    window.emit('move');
    window.emit('resize');
    window.emit('move');
    await vi.advanceTimersByTimeAsync(499);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(save.mock.calls).toEqual([[{ x: 10, y: 20, width: 1000, height: 700 }, false]]);
    window.maximized = true;
    window.emit('maximize');
    window.emit('close');
    expect(save).toHaveBeenLastCalledWith({ x: 10, y: 20, width: 1000, height: 700 }, true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
  });
});
