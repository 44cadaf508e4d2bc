/// <reference types="electron-vite/node" />
import { app, BrowserWindow, dialog, screen, shell } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../core/app-core';
import { openStoreSafely } from '../core/settings/open-store';
import { assertSafeUrl, isSafeUrl } from '../core/net/url-policy';
import { registerAppScheme, serveAppFrames, serveRenderer } from './app-protocol';
import { createElectronStoreKv } from './electron-store-kv';
import { forwardEvents, registerIpc } from './ipc';
import { netFetch } from './net-fetch';
import { createSafeStorageCipher } from './safe-storage-cipher';
import { browserStandIns, hardenContents, hardenSession } from './security';
import { createMainWindow, preloadPathFor, rendererDirFor } from './window';
import { createWindowRegistry, reopenWindowOnDemand } from './window-registry';
import { coreCleanup, createShutdown } from './shutdown';
import { runStartup } from './startup';
import { registerInstallLinks } from './install-links';
import { bridgeRequested, runBridgeMode } from './bridge-mode';
import { attachDesktopShell, navigateTo } from './desktop-shell';
import { createFolderOpener, createLoginItem, createNotifier, createSavePathChooser } from './desktop-ports';
import { trackWindowBounds } from './window-state';
import { WINDOW_LIMITS } from './window';
import trayIconPath from '../../resources/icon.png?asset';
import { createAppUpdateEngine } from './updater';

// The main process: thin adapters around the core. Everything that matters
// (servers, OAuth, vault, history) lives in electron/core and runs in plain Node.

declare const __SWITCHBOARD_E2E_BUILD__: boolean;

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
// A shipped app never honours the e2e switches, whatever its environment says.
const e2eHooks = (!app.isPackaged || __SWITCHBOARD_E2E_BUILD__) && process.env.SWITCHBOARD_E2E === '1';
// Tests point the app at a fresh data dir.
if (process.env.SWITCHBOARD_DATA_DIR) app.setPath('userData', process.env.SWITCHBOARD_DATA_DIR);
// Stopping a server takes up to ~4 s (stdin close, SIGTERM, SIGKILL, each with a 2 s grace), in parallel.
const SHUTDOWN_DEADLINE_MS = 10_000;

if (bridgeRequested(process.argv)) {
  // A stdio client runs the app as its gateway bridge: headless, beside the running app (bridge-mode.ts).
  void runBridgeMode(app, process);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  hardenContents(devServerUrl);
  // Windows shows notifications only for an app with this id (electron-builder's appId; the installer registers it).
  if (process.platform === 'win32') app.setAppUserModelId('dev.switchboard.desktop');
  // Before ready: macOS sends open-url for a link that launched the app.
  const installLinks = registerInstallLinks(app, { register: app.isPackaged && !e2eHooks, argv: process.argv });
  let core: Core | undefined;
  // The window opens where it was last, if that is still on a display (core/desktop/window-bounds.ts).
  const windows = createWindowRegistry(() => {
    const displays = screen.getAllDisplays().map((d) => d.workArea);
    const window = createMainWindow(preloadPathFor(import.meta.dirname), devServerUrl, core?.desktop.windowBounds(displays, WINDOW_LIMITS));
    trackWindowBounds(window, (normal, maximized) => core?.desktop.saveWindowBounds(normal, maximized));
    return window;
  });

  // Quitting waits for every server (and its process tree) to stop; see shutdown.ts.
  const shutdown = createShutdown({
    app,
    ...coreCleanup(() => core),
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    log: (message, error) => console.error(`[shutdown] ${message}`, error ?? ''),
  });
  app.on('before-quit', (event) => shutdown.beforeQuit(event));

  // A failure here shows an error box naming the step and the data folder, then exits (startup.ts).
  const dataFolder = () => app.getPath('userData');
  app.whenReady().then(() =>
    runStartup({ app, dialog, dataDir: dataFolder }, async (step) => {
      step('Securing the session');
      hardenSession(devServerUrl);
      serveRenderer(rendererDirFor(import.meta.dirname));
      serveAppFrames(() => core?.apps.documents);
      step('Opening the settings file');
      const dataDir = app.getPath('userData');
      const settings = openStoreSafely(() => createElectronStoreKv(dataDir), join(dataDir, 'settings.json'));
      step('Loading settings and the vault');
      core = createCore(
        {
          cipher: createSafeStorageCipher(),
          store: settings.store,
          browser: {
            // The core validated this URL; check again at the edge, and never via a shell.
            open: async (url) => {
              const safe = assertSafeUrl(url, 'browser').href;
              if (e2eHooks) return openStandInBrowser(safe);
              await shell.openExternal(safe);
            },
          },
          folderPicker: {
            choose: async (title) => {
              if (e2eHooks && process.env.SWITCHBOARD_E2E_FOLDER) return process.env.SWITCHBOARD_E2E_FOLDER;
              const options = { title: title ?? 'Choose a folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
              const window = windows.current();
              const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
              return result.canceled ? undefined : result.filePaths[0];
            },
          },
          dataDir,
          // The process watchdog needs plain Node: Electron's own binary as Node in development.
          // Packaged builds turn the runAsNode fuse off, so they have none; there the stdin
          // close, the stop path and the reaper at the next start cover a crash (README).
          nodeRuntime: app.isPackaged ? null : { command: process.execPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
          // Claude Desktop's entry for the gateway: this executable, headless (bridge-mode.ts); in development, Electron with the app folder.
          bridgeCommand: { command: process.execPath, args: app.isPackaged ? [] : [app.getAppPath()] },
          fetch: netFetch, // system proxy, PAC and OS trust store (Chromium's network stack)
          desktop: {
            // A click brings the window forward on what the notification was about.
            notifier: createNotifier((target) => core && navigateTo({ core, windows })(target)),
            loginItem: createLoginItem(app, process.platform),
            openFolder: createFolderOpener(dataFolder),
            chooseSavePath:
              e2eHooks && process.env.SWITCHBOARD_E2E_SAVE_PATH
                ? async () => process.env.SWITCHBOARD_E2E_SAVE_PATH
                : createSavePathChooser(
                    dialog,
                    () => app.getPath('downloads'),
                    () => windows.current(),
                  ),
          },
          // electron-updater, fed from app-update.yml; e2e runs may point it at a fixture on 127.0.0.1.
          updateEngine: createAppUpdateEngine({ app, env: process.env, e2eFeed: e2eHooks ? process.env.SWITCHBOARD_E2E_UPDATE_FEED : undefined }),
        },
        {
          appVersion: app.getVersion(),
          startupNotices: settings.notice ? [settings.notice] : [],
          onInternalError: (method, error) => console.error(`[ipc] ${method} failed:`, (error as Error)?.stack ?? error),
        },
      );
      step('Opening the window');
      const desktopShell = attachDesktopShell({
        core,
        windows,
        iconPath: trayIconPath,
        platform: process.platform,
        isPackaged: app.isPackaged,
        appName: app.getName(),
        openLink: (url) => {
          // The same guard as every link that leaves the app; never through a shell.
          if (isSafeUrl(url, 'external-link')) void shell.openExternal(url);
        },
        quit: () => app.quit(),
        log: (message, error) => console.error(`[desktop] ${message}`, error ?? ''),
      });
      app.once('will-quit', () => desktopShell.dispose());
      registerIpc(core, devServerUrl, shutdown.started);
      forwardEvents(core, () => windows.current()?.webContents);
      windows.open();
      reopenWindowOnDemand(app, windows, shutdown.started);
      const started = core;
      installLinks.attach(
        (url) => started.installLinks.receive(url),
        () => {
          if (!shutdown.started()) windows.reveal();
        },
      );
      void core.start();
    }),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

/** e2e builds only: the "system browser" is a plain window Playwright can drive. */
function openStandInBrowser(url: string): void {
  const standIn = new BrowserWindow({ width: 900, height: 700, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
  browserStandIns.add(standIn.webContents);
  void standIn.loadURL(url);
}
