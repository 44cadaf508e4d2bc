import { writeFile } from 'node:fs/promises';
import type { DesktopSettingsView, DesktopTarget, NotificationSwitches, ServerView } from '../../../shared/contract';
import type { Emit } from '../events';
import type { DesktopPorts, KeyValueStore } from '../ports';
import { PRIVATE_FILE_MODE, settingsKey, type DesktopPreferences } from '../settings';
import { collectDiagnostics, InternalErrorLog, zipDiagnostics, type DiagnosticsSources } from './diagnostics';
import { DEFAULT_NOTIFICATION_SWITCHES, NotificationPolicy } from './notifications';
import { trayModel, type TrayModel } from './tray-model';
import { boundsToSave, restorableBounds, type Rect, type SavedBounds, type WindowLimits } from './window-bounds';

// The desktop feature's state and actions: its preferences in the settings
// file, the notification policy fed by the core's events, the tray model, the
// remembered window bounds, "Show data folder" and "Export diagnostics".

export interface DesktopServiceDeps {
  store: KeyValueStore;
  ports: DesktopPorts;
  dataDir: string;
  emit: Emit;
  now: () => number;
  serverName: (serverId: string) => string | undefined;
  listServers: () => Promise<ServerView[]>;
  /** Everything diagnostics read besides the settings file. */
  diagnostics: Omit<DiagnosticsSources, 'store' | 'listServers' | 'internalErrors' | 'now'>;
  errors: InternalErrorLog;
}

export const NO_NOTIFIER = 'Notifications are not available here.';
export const NO_LOGIN_ITEM = 'Launch at login is only available in the desktop app.';

/** How long a navigation waits for a window that is still loading. */
const PENDING_NAVIGATION_MS = 15_000;

export class DesktopService {
  readonly notifications: NotificationPolicy;
  private pending?: { target: DesktopTarget; at: number };

  constructor(private readonly deps: DesktopServiceDeps) {
    this.notifications = new NotificationPolicy({
      notifier: deps.ports.notifier,
      switches: () => this.switches(),
      now: deps.now,
      serverName: deps.serverName,
    });
  }

  private prefs() {
    return settingsKey(this.deps.store, 'desktop');
  }

  private write(patch: Partial<DesktopPreferences>): void {
    const prefs = this.prefs();
    prefs.write({ ...prefs.read(), ...patch });
  }

  switches(): NotificationSwitches {
    const stored = this.prefs().read().notifications ?? {};
    const out = { ...DEFAULT_NOTIFICATION_SWITCHES };
    for (const key of Object.keys(out) as (keyof NotificationSwitches)[]) if (typeof stored[key] === 'boolean') out[key] = stored[key];
    return out;
  }

  view(): DesktopSettingsView {
    const { notifier, loginItem, openFolder, chooseSavePath } = this.deps.ports;
    const notificationsSupported = Boolean(notifier?.supported());
    const login = loginItem?.availability() ?? { supported: false, reason: NO_LOGIN_ITEM };
    return {
      notifications: this.switches(),
      notificationsAvailable: notificationsSupported ? { supported: true } : { supported: false, reason: NO_NOTIFIER },
      launchAtLogin: login.supported && loginItem ? loginItem.get() : false,
      launchAtLoginAvailable: login,
      dataFolderAvailable: Boolean(openFolder),
      diagnosticsAvailable: Boolean(chooseSavePath),
    };
  }

  update(patch: { notifications?: Partial<NotificationSwitches>; launchAtLogin?: boolean }): DesktopSettingsView {
    if (patch.notifications) this.write({ notifications: { ...this.switches(), ...patch.notifications } });
    if (patch.launchAtLogin !== undefined) {
      const loginItem = this.deps.ports.loginItem;
      if (!loginItem?.availability().supported) throw new Error(loginItem?.availability().reason ?? NO_LOGIN_ITEM);
      loginItem.set(patch.launchAtLogin);
      this.write({ launchAtLogin: patch.launchAtLogin });
    }
    return this.view();
  }

  /** Only ever the app's own data folder: the port gets no path from the renderer. */
  async showDataFolder(): Promise<{ opened: boolean; error?: string }> {
    const open = this.deps.ports.openFolder;
    if (!open) return { opened: false, error: 'There is no file manager to open here.' };
    const error = await open(this.deps.dataDir);
    return error ? { opened: false, error: `The data folder could not be opened: ${error}` } : { opened: true };
  }

  async exportDiagnostics(): Promise<{ saved: boolean; path?: string; files: string[]; bytes?: number }> {
    const choose = this.deps.ports.chooseSavePath;
    if (!choose) return { saved: false, files: [] };
    const stamp = new Date(this.deps.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
    const path = await choose(`switchboard-diagnostics-${stamp}.zip`);
    if (!path) return { saved: false, files: [] };
    const zip = await this.buildDiagnostics();
    await writeFile(path, zip.bytes, { mode: PRIVATE_FILE_MODE });
    return { saved: true, path, files: zip.files, bytes: zip.bytes.byteLength };
  }

  /** The zip's bytes and file names (the save path aside: what exportDiagnostics writes). */
  async buildDiagnostics(): Promise<{ bytes: Uint8Array; files: string[] }> {
    const files = await collectDiagnostics({
      ...this.deps.diagnostics,
      environment: { ...this.deps.diagnostics.environment, notificationsHeldBack: this.notifications.suppressed },
      store: this.deps.store,
      listServers: this.deps.listServers,
      internalErrors: () => this.deps.errors.list(),
      now: this.deps.now,
    });
    return { bytes: zipDiagnostics(files, this.deps.now()), files: Object.keys(files).sort() };
  }

  async tray(platform: string): Promise<TrayModel> {
    return trayModel(await this.deps.listServers(), platform);
  }

  /** The saved main-window bounds, if they are sane and on a display attached now. */
  windowBounds(displays: readonly Rect[], limits: WindowLimits): SavedBounds | undefined {
    return restorableBounds(this.prefs().read().windowBounds, displays, limits);
  }

  saveWindowBounds(normal: Rect, maximized: boolean): void {
    const bounds = boundsToSave(normal, maximized);
    if (bounds) this.write({ windowBounds: { ...bounds } });
  }

  /**
   * Brings the window to a view (a notification or tray click). A window opened for
   * the click is not listening yet: it takes the target when it loads, if it is recent.
   */
  navigate(target: DesktopTarget): void {
    this.pending = { target, at: this.deps.now() };
    this.deps.emit('desktopNavigate', { target });
  }

  takeNavigation(): DesktopTarget | undefined {
    const pending = this.pending;
    this.pending = undefined;
    return pending && this.deps.now() - pending.at < PENDING_NAVIGATION_MS ? pending.target : undefined;
  }
}
