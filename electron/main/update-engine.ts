import { CancellationToken, type AppUpdater, type ProgressInfo } from 'electron-updater';
import type { UpdateChannel } from '../../shared/contract';
import type { EngineCheck, UpdateEngine } from '../core/updates';

// The UpdateEngine port over an electron-updater updater: the app's
// autoUpdater, or (Node tests, the e2e harness) a real updater class of the same
// library given a Node app adapter and HTTP executor. Everything that matters for
// safety stays in electron-updater: the manifest is fetched from the feed in
// app-update.yml (never from settings), the artifact is verified against the
// manifest's sha512 while it downloads, and versions that are not newer are
// refused. This wrapper only makes sure our configuration keeps it that way:
//  - nothing downloads on its own (autoDownload off) and nothing installs on
//    quit until the user downloaded (autoInstallOnAppQuit off until then);
//  - no downgrades: electron-updater's `channel` setter switches allowDowngrade
//    ON, so it is switched off again after every channel change;
//  - web installers (which may skip signature checks) are refused.

export interface UpdaterEngineOptions {
  /** Why this build cannot update (a development build, a snap); undefined: ask electron-updater. */
  unsupportedReason?: () => string | undefined;
}

const CHANNEL_FILE: Record<UpdateChannel, string> = { stable: 'latest', beta: 'beta' };

export function updaterEngine(updater: AppUpdater, options: UpdaterEngineOptions = {}): UpdateEngine {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.autoRunAppAfterInstall = true;
  updater.allowPrerelease = false;
  updater.allowDowngrade = false;
  updater.disableWebInstaller = true;
  let token: CancellationToken | undefined;
  // Fixed for the life of the process (packaging, APPIMAGE, SNAP); asked once, since electron-updater logs each time.
  let unsupported: { reason: string | undefined } | undefined;

  return {
    currentVersion: updater.currentVersion.version,
    unsupportedReason() {
      unsupported ??= {
        reason:
          options.unsupportedReason?.() ?? (updater.isUpdaterActive() ? undefined : 'This build cannot update itself. Download new versions from the website.'),
      };
      return unsupported.reason;
    },
    async check(channel): Promise<EngineCheck> {
      updater.channel = CHANNEL_FILE[channel];
      // The channel setter turns downgrades on; they stay off.
      updater.allowDowngrade = false;
      const result = await updater.checkForUpdates();
      if (!result) throw new Error('This build cannot update itself.');
      const info = result.updateInfo;
      return result.isUpdateAvailable
        ? { available: true, version: info.version, releaseNotes: info.releaseNotes, releaseDate: info.releaseDate }
        : { available: false, version: info.version };
    },
    async download(onProgress) {
      const own = new CancellationToken();
      token = own;
      const listener = (p: ProgressInfo) => onProgress({ percent: p.percent, transferred: p.transferred, total: p.total, bytesPerSecond: p.bytesPerSecond });
      updater.on('download-progress', listener);
      try {
        await updater.downloadUpdate(own);
      } catch (error) {
        if (own.cancelled) throw Object.assign(new Error('The download was cancelled.'), { code: 'CANCELLED' });
        throw error;
      } finally {
        updater.off('download-progress', listener);
        if (token === own) token = undefined;
      }
    },
    cancelDownload() {
      token?.cancel();
    },
    setInstallOnQuit(enabled) {
      updater.autoInstallOnAppQuit = enabled;
    },
    installNow() {
      // Install failures are reported as 'error' events during quitAndInstall, not thrown.
      let failed: unknown;
      const onError = (error: unknown) => (failed ??= error);
      updater.on('error', onError);
      try {
        updater.quitAndInstall(false, true);
      } finally {
        updater.off('error', onError);
      }
      if (failed !== undefined) throw failed;
    },
  };
}
