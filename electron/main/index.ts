import { app, BrowserWindow, dialog, shell } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app-core';
import { openStoreSafely } from '../core/settings/open-store';
import { assertSafeBrowserUrl } from '../core/browser-url';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createElectronStoreKv } from './electron-store-kv';
import { forwardEvents, registerIpc } from './ipc';
import { netFetch } from './net-fetch';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { browserStandIns, hardenContents, hardenSession } from './security';
import { createMainWindow, preloadPathFor, rendererDirFor } from './window';

// The main process: thin adapters around the core. Everything that matters
// (servers, OAuth, vault, history) lives in electron/core and runs in plain Node.

declare const __SWITCHBOARD_E2E_BUILD__: boolean;

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
// A shipped app never honours the e2e switches, whatever its environment says.
const e2eHooks = (!app.isPackaged || __SWITCHBOARD_E2E_BUILD__) && process.env.SWITCHBOARD_E2E === '1';
// Tests point the app at a fresh data dir.
if (process.env.SWITCHBOARD_DATA_DIR) app.setPath('userData', process.env.SWITCHBOARD_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenContents(devServerUrl);
  let window: BrowserWindow | undefined;
  let core: Core | undefined;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.whenReady().then(async () => {
    hardenSession(devServerUrl);
    serveRenderer(rendererDirFor(import.meta.dirname));
    const dataDir = app.getPath('userData');
    const settings = openStoreSafely(() => createElectronStoreKv(dataDir), join(dataDir, 'settings.json'));
    core = createCore(
      {
        cipher: createSafeStorageCipher(),
        store: settings.store,
        browser: {
          // The core validated this URL; check again at the edge, and never via a shell.
          open: async (url) => {
            const safe = assertSafeBrowserUrl(url).href;
            if (e2eHooks) return openStandInBrowser(safe);
            await shell.openExternal(safe);
          },
        },
        folderPicker: {
          choose: async (title) => {
            if (e2eHooks && process.env.SWITCHBOARD_E2E_FOLDER) return process.env.SWITCHBOARD_E2E_FOLDER;
            const options = { title: title ?? 'Choose a folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
            const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
            return result.canceled ? undefined : result.filePaths[0];
          },
        },
        dataDir,
        fetch: netFetch, // system proxy, PAC and OS trust store (Chromium's network stack)
      },
      { appVersion: app.getVersion(), startupNotices: settings.notice ? [settings.notice] : [], onInternalError: (method, error) => console.error(`[ipc] ${method} failed:`, (error as Error)?.stack ?? error) },
    );
    registerIpc(core, devServerUrl);
    forwardEvents(core, () => window?.webContents);
    window = createMainWindow(preloadPathFor(import.meta.dirname), devServerUrl);
    window.on('closed', () => (window = undefined));
    void core.start();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    // Stop every server (and its process tree) before the process exits.
    event.preventDefault();
    quitting = true;
    core.shutdown().finally(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (!window && core) window = createMainWindow(preloadPathFor(import.meta.dirname), devServerUrl);
  });
}

/** e2e builds only: the "system browser" is a plain window Playwright can drive. */
function openStandInBrowser(url: string): void {
  const standIn = new BrowserWindow({ width: 900, height: 700, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
  browserStandIns.add(standIn.webContents);
  void standIn.loadURL(url);
}
