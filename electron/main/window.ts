import { BrowserWindow, nativeTheme } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY } from './url-policy';

export const WINDOW_LIMITS = { minWidth: 900, minHeight: 560 };

/** `bounds`: the remembered size and position, already checked against the displays (desktop/window-bounds.ts). */
export function createMainWindow(
  preloadPath: string,
  devServerUrl?: string,
  bounds?: { x: number; y: number; width: number; height: number; maximized?: boolean },
): BrowserWindow {
  const window = new BrowserWindow({
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    ...WINDOW_LIMITS,
    title: 'Switchboard',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (bounds?.maximized) window.maximize();
    window.show();
  });
  void window.loadURL(devServerUrl ?? APP_ENTRY);
  return window;
}

export const preloadPathFor = (mainDir: string) => join(mainDir, '../preload/index.cjs');
export const rendererDirFor = (mainDir: string) => join(mainDir, '../renderer');
