import type { MenuItemConstructorOptions } from 'electron';

// The native application menu with the standard roles. Developer tools and
// reload exist only in development. Help links go through the URL guard
// (openLink) like every link that leaves the app.

export interface AppMenuActions {
  openSettings(): void;
  showDataFolder(): void;
  exportDiagnostics(): void;
  /** Opens an https link in the browser after the URL guard. */
  openLink(url: string): void;
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  isPackaged: boolean;
  homepage: string;
  issues: string;
  actions: AppMenuActions;
}

export function appMenuTemplate(o: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const settings: MenuItemConstructorOptions = { label: mac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', click: () => o.actions.openSettings() };
  const menus: MenuItemConstructorOptions[] = [];
  if (mac)
    menus.push({
      label: o.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        settings,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  menus.push({ label: 'File', submenu: mac ? [{ role: 'close' }] : [settings, { type: 'separator' }, { role: 'quit' }] });
  menus.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  menus.push({
    label: 'View',
    submenu: [
      ...(o.isPackaged
        ? []
        : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  menus.push({
    label: 'Window',
    role: 'window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  menus.push({
    label: 'Help',
    role: 'help',
    submenu: [
      { label: 'Switchboard Website', click: () => o.actions.openLink(o.homepage) },
      { label: 'Report an Issue', click: () => o.actions.openLink(o.issues) },
      { type: 'separator' },
      { label: 'Show Data Folder', click: () => o.actions.showDataFolder() },
      { label: 'Export Diagnostics…', click: () => o.actions.exportDiagnostics() },
    ],
  });
  return menus;
}
