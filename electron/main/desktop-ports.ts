import { Notification, shell, type App, type Dialog, type SaveDialogOptions, type BaseWindow } from 'electron';
import { join } from 'node:path';
import type { DesktopTarget } from '../../shared/contract';
import type { Availability, DesktopPorts, Notifier } from '../core/ports';

// The desktop ports for the core: Electron's Notification, login items, the
// file manager and the save dialog. Decisions (when to notify, what the text
// says, what goes in the diagnostics) are the core's; these only execute them.

/** Notifications the OS still shows; a reference keeps each one's click handler alive until it is dismissed. */
const MAX_LIVE = 20;

export function createNotifier(onClick: (target: DesktopTarget) => void): Notifier {
  const live = new Set<Notification>();
  return {
    supported: () => Notification.isSupported(),
    show(n) {
      const notification = new Notification({ title: n.title, body: n.body });
      live.add(notification);
      if (live.size > MAX_LIVE) live.delete(live.values().next().value!);
      notification.on('click', () => {
        live.delete(notification);
        onClick(n.target);
      });
      notification.on('close', () => live.delete(notification));
      notification.show();
    },
  };
}

export const LINUX_LOGIN_ITEM =
  'Not available on Linux: desktops start apps from their own autostart settings. Add Switchboard under Startup Applications (or ~/.config/autostart).';
export const DEV_LOGIN_ITEM = 'Available in the installed app only (this is a development build).';

export function loginItemAvailability(platform: NodeJS.Platform, isPackaged: boolean): Availability {
  if (platform !== 'darwin' && platform !== 'win32') return { supported: false, reason: LINUX_LOGIN_ITEM };
  if (!isPackaged) return { supported: false, reason: DEV_LOGIN_ITEM };
  return { supported: true };
}

export function createLoginItem(
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings' | 'isPackaged'>,
  platform: NodeJS.Platform,
): DesktopPorts['loginItem'] {
  const availability = () => loginItemAvailability(platform, app.isPackaged);
  return {
    availability,
    get: () => availability().supported && app.getLoginItemSettings().openAtLogin,
    set: (openAtLogin) => {
      if (availability().supported) app.setLoginItemSettings({ openAtLogin });
    },
  };
}

/** Opens the data folder, and nothing else, whatever path it is asked for. */
export function createFolderOpener(
  dataDir: () => string,
  open: (path: string) => Promise<string> = (p) => shell.openPath(p),
): (path: string) => Promise<string> {
  return async (path) => (path === dataDir() ? open(path) : 'Only the data folder can be opened.');
}

export function createSavePathChooser(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  downloads: () => string,
  window: () => BaseWindow | undefined,
): (defaultName: string) => Promise<string | undefined> {
  return async (defaultName) => {
    const options: SaveDialogOptions = {
      title: 'Export diagnostics',
      defaultPath: join(downloads(), defaultName),
      filters: [{ name: 'Zip archive', extensions: ['zip'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const parent = window();
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  };
}
