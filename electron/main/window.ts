import { BrowserWindow, nativeTheme } from 'electron';
import { join } from 'node:path';
import { APP_ENTRY } from './url-policy';

export function createMainWindow(preloadPath: string, devServerUrl?: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
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
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_ENTRY);
  return window;
}

export const preloadPathFor = (mainDir: string) => join(mainDir, '../preload/index.cjs');
export const rendererDirFor = (mainDir: string) => join(mainDir, '../renderer');
