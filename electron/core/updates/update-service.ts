import { IpcError, type UpdateChannel, type UpdateOffer, type UpdateState, type UpdateStatus } from '../../../shared/contract';
import type { Emit } from '../events';
import type { KeyValueStore } from '../ports';
import { settingsKey } from '../settings';
import type { EngineCheck, UpdateEngine } from './engine';
import { describeUpdateError, isCancelled } from './errors';
import { compareVersions, releaseNotesText, safeVersion } from './versions';

// The update policy. Consent: a check fetches only the manifest; nothing is
// downloaded until the user asks (downloadUpdate), and the downloaded update is
// installed on quit only because the user downloaded it (they can untick it) or
// at once when they choose "Restart and install". The off switch makes no
// request at all, cancels a download under way and keeps a downloaded update
// from being installed. A version that is not newer than this one is never
// offered, whatever the engine says (no downgrades).

export interface AutoCheck {
  /** The first check after start(). */
  firstAfterMs: number;
  everyMs: number;
}

export interface UpdateServiceDeps {
  store: KeyValueStore;
  /** Absent: this host cannot update itself (Node tests, the e2e harness without a feed). */
  engine?: UpdateEngine;
  emit: Emit;
  now: () => number;
  appVersion: string;
  /** Checks in the background while updates are on (never downloads). false: only when the user asks. */
  autoCheck?: AutoCheck | false;
}

const NO_ENGINE = 'This build cannot update itself. Download new versions from the website.';

export class UpdateService {
  private state: UpdateState = { state: 'idle' };
  /** Bumped by every change of settings: a check or download from before answers to nobody. */
  private generation = 0;
  private checking?: Promise<UpdateStatus>;
  private timer?: NodeJS.Timeout;
  private readonly settings;

  constructor(private readonly deps: UpdateServiceDeps) {
    this.settings = settingsKey(deps.store, 'updates');
  }

  status(): UpdateStatus {
    const { enabled, channel } = this.settings.read();
    const currentVersion = this.deps.engine?.currentVersion ?? this.deps.appVersion;
    const unsupported = this.unsupportedReason();
    const update: UpdateState = !enabled ? { state: 'disabled' } : unsupported ? { state: 'unsupported', reason: unsupported } : this.state;
    return { currentVersion, enabled, channel, update };
  }

  setSettings(change: { enabled?: boolean; channel?: UpdateChannel }): UpdateStatus {
    const before = this.settings.read();
    const next = { ...before, ...(change.enabled !== undefined && { enabled: change.enabled }), ...(change.channel && { channel: change.channel }) };
    this.settings.write(next);
    const switchedOff = before.enabled && !next.enabled;
    const channelChanged = before.channel !== next.channel;
    if (switchedOff || channelChanged) {
      this.generation++;
      this.checking = undefined;
      if (this.state.state === 'downloading') this.deps.engine?.cancelDownload();
      // An offer (or a downloaded update) was for the old channel, or updates are now off: none of it stands.
      if (this.state.state === 'downloaded') this.deps.engine?.setInstallOnQuit(false);
      this.state = { state: 'idle' };
    }
    this.schedule();
    return this.changed();
  }

  /** A check the user asked for (or the background one). Never downloads. */
  check(): Promise<UpdateStatus> {
    const engine = this.usableEngine();
    if (this.state.state === 'downloading' || this.state.state === 'downloaded') return Promise.resolve(this.status());
    if (this.checking) return this.checking;
    const generation = this.generation;
    const { channel } = this.settings.read();
    this.state = { state: 'checking' };
    this.changed();
    const run = (async () => {
      let found: EngineCheck | undefined;
      let failure: unknown;
      try {
        found = await engine.check(channel);
      } catch (error) {
        failure = error;
      }
      if (generation !== this.generation) return this.status();
      this.checking = undefined;
      if (failure !== undefined || !found) {
        this.state = { state: 'error', during: 'check', message: describeUpdateError(failure, 'check') };
        return this.changed();
      }
      const version = safeVersion(found.version);
      const order = compareVersions(found.version, engine.currentVersion);
      if (found.available && order !== undefined && order > 0) {
        const releaseNotes = releaseNotesText(found.releaseNotes);
        const releaseDate = typeof found.releaseDate === 'string' ? safeVersion(found.releaseDate) : undefined;
        this.state = { state: 'available', offer: { version, ...(releaseNotes && { releaseNotes }), ...(releaseDate && { releaseDate }) } };
      } else {
        // Not newer: the same version, or an older one, which is never installed.
        this.state = { state: 'idle', checkedAt: this.deps.now(), latest: { version, older: order !== undefined && order < 0 } };
      }
      return this.changed();
    })();
    this.checking = run;
    return run;
  }

  /** The user agreed to download the offered update. Returns at once; progress arrives as events. */
  download(): UpdateStatus {
    const engine = this.usableEngine();
    const offer = this.offerToDownload();
    const generation = ++this.generation;
    this.state = { state: 'downloading', offer, progress: { percent: 0, transferred: 0, total: 0, bytesPerSecond: 0 } };
    // Downloading is the consent to install on quit (untickable once downloaded); electron-updater
    // registers its quit handler when the download completes only if this is already on.
    engine.setInstallOnQuit(true);
    void engine
      .download((progress) => {
        if (generation !== this.generation || this.state.state !== 'downloading') return;
        this.state = { state: 'downloading', offer, progress: boundedProgress(progress) };
        this.changed();
      })
      .then(
        () => {
          if (generation !== this.generation) return;
          this.state = { state: 'downloaded', offer, installOnQuit: true };
          this.changed();
        },
        (error: unknown) => {
          engine.setInstallOnQuit(false);
          if (generation !== this.generation) return;
          this.state = isCancelled(error)
            ? { state: 'available', offer }
            : { state: 'error', during: 'download', message: describeUpdateError(error, 'download'), offer };
          this.changed();
        },
      );
    return this.changed();
  }

  cancelDownload(): UpdateStatus {
    if (this.state.state === 'downloading') {
      const { offer } = this.state;
      this.generation++;
      this.deps.engine?.cancelDownload();
      this.deps.engine?.setInstallOnQuit(false);
      this.state = { state: 'available', offer };
    }
    return this.changed();
  }

  install(request: { when: 'now' } | { when: 'on-quit'; enabled: boolean }): UpdateStatus {
    const engine = this.usableEngine();
    if (this.state.state !== 'downloaded') throw new IpcError('CONFLICT', 'There is no downloaded update to install. Check for updates first.');
    if (request.when === 'on-quit') {
      engine.setInstallOnQuit(request.enabled);
      this.state = { ...this.state, installOnQuit: request.enabled };
      return this.changed();
    }
    try {
      engine.installNow();
    } catch (error) {
      this.state = { state: 'error', during: 'install', message: describeUpdateError(error, 'install'), offer: this.state.offer };
    }
    return this.changed();
  }

  /** Background checks while updates are on (only where the engine can update). */
  start(): void {
    this.schedule();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
    if (this.state.state === 'downloading') this.deps.engine?.cancelDownload();
  }

  private schedule(delay?: number): void {
    const auto = this.deps.autoCheck;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!auto || !this.settings.read().enabled || this.unsupportedReason()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const idle = this.state.state === 'idle' || this.state.state === 'error';
      void (idle ? this.check() : Promise.resolve()).catch(() => undefined).finally(() => this.schedule(auto.everyMs));
    }, delay ?? auto.firstAfterMs);
    this.timer.unref?.();
  }

  private offerToDownload(): UpdateOffer {
    const s = this.state;
    if (s.state === 'available') return s.offer;
    if (s.state === 'error' && s.during === 'download' && s.offer) return s.offer;
    if (s.state === 'downloading') throw new IpcError('CONFLICT', 'The update is already downloading.');
    throw new IpcError('CONFLICT', 'No update is on offer. Check for updates first.');
  }

  private usableEngine(): UpdateEngine {
    if (!this.settings.read().enabled) throw new IpcError('CONFLICT', 'Updates are switched off. Switch them on in Settings to check.');
    const reason = this.unsupportedReason();
    if (reason || !this.deps.engine) throw new IpcError('CONFLICT', reason ?? NO_ENGINE);
    return this.deps.engine;
  }

  private unsupportedReason(): string | undefined {
    return this.deps.engine ? this.deps.engine.unsupportedReason() : NO_ENGINE;
  }

  private changed(): UpdateStatus {
    const status = this.status();
    this.deps.emit('updateStatusChanged', status);
    return status;
  }
}

function boundedProgress(p: { percent: number; transferred: number; total: number; bytesPerSecond: number }) {
  const n = (x: number) => (Number.isFinite(x) && x >= 0 ? x : 0);
  return { percent: Math.min(100, n(p.percent)), transferred: n(p.transferred), total: n(p.total), bytesPerSecond: n(p.bytesPerSecond) };
}
