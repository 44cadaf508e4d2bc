import type { App } from 'electron';
// CommonJS: Node's ESM loader does not see `autoUpdater` (a lazy getter) as a named export.
import electronUpdater, { type AppUpdater } from 'electron-updater';
import type { UpdateEngine } from '../core/updates';
import { updaterEngine } from './update-engine';

// The app's updater: electron-updater's autoUpdater for this platform (NSIS,
// Squirrel.Mac, AppImage, deb), reading its feed from app-update.yml inside the
// installed app (electron-builder writes it from `publish` in
// electron-builder.config.cjs). The feed is never read from the settings file.

export interface AppUpdaterOptions {
  app: Pick<App, 'isPackaged'>;
  env: NodeJS.ProcessEnv;
  /** e2e builds only: a feed on 127.0.0.1 (SWITCHBOARD_E2E_UPDATE_FEED) instead of app-update.yml. */
  e2eFeed?: string;
  /** The platform's autoUpdater unless given (tests pass a Node-hosted one). */
  updater?: AppUpdater;
}

export function createAppUpdateEngine(options: AppUpdaterOptions): UpdateEngine {
  const updater = options.updater ?? electronUpdater.autoUpdater;
  const e2eFeed = options.e2eFeed && URL.parse(options.e2eFeed)?.hostname === '127.0.0.1' ? options.e2eFeed : undefined;
  if (e2eFeed) {
    updater.forceDevUpdateConfig = true;
    updater.setFeedURL({ provider: 'generic', url: e2eFeed });
  }
  return updaterEngine(updater, {
    unsupportedReason: () => {
      if (options.env.SNAP) return 'Snap packages are updated by the Snap Store, not by Switchboard.';
      if (!options.app.isPackaged && !e2eFeed) return 'This is a development build: updates work in installed builds only.';
      return undefined; // otherwise electron-updater decides (an AppImage must run as one)
    },
  });
}
