import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { join } from 'node:path';
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { DebUpdater, type AppUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import type { UpdateEngine } from '../../electron/core/updates';
import { updaterEngine } from '../../electron/main/update-engine';

// A real electron-updater updater outside Electron. electron-updater's own
// ElectronAppAdapter and ElectronHttpExecutor need Electron's `app` and `net`;
// everything else (the generic provider, channel files, version comparison,
// the download with its sha512 DigestTransform, the cache, cancellation, the
// install-on-quit handler) is the library's code and runs here unchanged. We
// supply the two seams it asks hosts for: an AppAdapter and an HttpExecutor over
// Node's http (127.0.0.1 only, so plain http).
//
// DebUpdater is the updater class: its download path is the generic
// BaseUpdater one. Its doInstall (sudo dpkg) is replaced by a recorder; the
// install-on-quit path up to doInstall is electron-updater's. quitAndInstall is
// BaseUpdater's too, except for its one Electron call: it emits
// `before-quit-for-update` on require('electron').autoUpdater before quitting.

class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    if (options.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(String(options.hostname)))
      throw new Error(`test updater: only http://127.0.0.1 (got ${String(options.protocol)}//${String(options.hostname)})`);
    return httpRequest(options, callback);
  }

  /** What ElectronHttpExecutor.download does, over Node's http: the base class's doDownload pipes through the sha512 DigestTransform. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null },
        0,
      );
    });
  }
}

export class NodeAppAdapter implements AppAdapter {
  readonly quitHandlers: ((exitCode: number) => void)[] = [];
  quits = 0;
  relaunches = 0;
  constructor(
    readonly version: string,
    readonly appUpdateConfigPath: string,
    readonly userDataPath: string,
    readonly baseCachePath: string,
    readonly name = 'Switchboard',
    readonly isPackaged = true,
  ) {}
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  quit(): void {
    this.quits++;
  }
  relaunch(): void {
    this.relaunches++;
  }
  onQuit(handler: (exitCode: number) => void): void {
    this.quitHandlers.push(handler);
  }
  /** The app quits with this exit code: what Electron's `quit` event does. */
  emitQuit(exitCode = 0): void {
    for (const h of this.quitHandlers.splice(0)) h(exitCode);
  }
}

export class RecordingDebUpdater extends DebUpdater {
  readonly installs: { isSilent: boolean; isForceRunAfter: boolean }[] = [];
  constructor(app: AppAdapter) {
    super(null, app);
    (this as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeHttpExecutor();
  }
  protected override doInstall(options: { isSilent: boolean; isForceRunAfter: boolean }): boolean {
    this.installs.push({ isSilent: options.isSilent, isForceRunAfter: options.isForceRunAfter });
    return true;
  }
  /** BaseUpdater.quitAndInstall without the emit on Electron's autoUpdater (which Node has not got). */
  override quitAndInstall(isSilent = false, isForceRunAfter = false): void {
    if (this.install(isSilent, isSilent ? isForceRunAfter : this.autoRunAppAfterInstall)) setImmediate(() => this.app.quit());
    else this.quitAndInstallCalled = false;
  }

  /** The downloaded file electron-updater would install. */
  get downloadedFile(): string | null {
    return this.installerPath;
  }
}

export interface NodeUpdater {
  engine: UpdateEngine;
  updater: RecordingDebUpdater & AppUpdater;
  app: NodeAppAdapter;
}

/**
 * An updater for `version` whose app-update.yml (written into `dir`, as
 * electron-builder writes it into the app's resources) names `feedUrl`.
 */
export function nodeUpdater(options: { feedUrl: string; version: string; dir: string }): NodeUpdater {
  const resources = join(options.dir, 'resources');
  mkdirSync(resources, { recursive: true });
  const config = join(resources, 'app-update.yml');
  writeFileSync(config, `provider: generic\nurl: ${options.feedUrl}\nupdaterCacheDirName: switchboard-updater\n`);
  const app = new NodeAppAdapter(options.version, config, join(options.dir, 'userData'), join(options.dir, 'cache'));
  const updater = new RecordingDebUpdater(app);
  updater.logger = null;
  return { engine: updaterEngine(updater), updater, app };
}
