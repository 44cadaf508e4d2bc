import type { UpdateChannel } from '../../../shared/contract';

// The port between the update policy (update-service.ts) and the updater that
// does the work. In the app it wraps electron-updater's autoUpdater
// (electron/main/update-engine.ts), which fetches the manifest, downloads, checks
// the artifact's sha512 and installs. Node tests and the e2e harness drive the
// same wrapper around a real electron-updater updater class, over Node's http.

/** What a check found: a newer version, or the version the server offers when it is not newer. */
export type EngineCheck = { available: true; version: string; releaseNotes?: unknown; releaseDate?: string } | { available: false; version: string };

export interface EngineProgress {
  percent: number;
  transferred: number;
  total: number;
  bytesPerSecond: number;
}

export interface UpdateEngine {
  readonly currentVersion: string;
  /** Why this build cannot update itself (a development build, a snap), or undefined when it can. */
  unsupportedReason(): string | undefined;
  /** Fetches the channel's manifest. Must never download, and must refuse versions older than the current one. */
  check(channel: UpdateChannel): Promise<EngineCheck>;
  /**
   * Downloads the update found by the last check and verifies it against the manifest's sha512.
   * Rejects on any failure; rejects with an error whose `code` is 'CANCELLED' after cancelDownload().
   */
  download(onProgress: (progress: EngineProgress) => void): Promise<void>;
  cancelDownload(): void;
  /** Whether the downloaded update is installed when the app quits. Off until the user downloads. */
  setInstallOnQuit(enabled: boolean): void;
  /** Quits the app and installs the downloaded update. */
  installNow(): void;
}
