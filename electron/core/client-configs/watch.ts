import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ClientConfigChange, McpClientId } from '../../../shared/contract';
import type { Emit } from '../events';
import type { KeyValueStore } from '../ports';
import { settingsKey } from '../settings';
import { baselineOf, diffBaselines, FileBaseline, storable } from './change-summary';
import { configPaths, type ConfigLocation, type Env } from './paths';
import { readBoundedFile } from './read-file';
import { parseFormat } from './scan';

// Watches the clients' config files (the user-level ones the scan reads) and
// says when one changed behind the user's back: the launch-approval trust model
// applied to the whole desktop. Each file's servers, as last accepted, are kept
// in settings (names, commands, URLs, env and header NAMES; never values), so a
// change made while Switchboard was closed is reported at the next start. The
// first time a file is seen, what it holds is accepted silently.
//
// fs.watch on each file's folder reacts quickly; a slow stat poll catches what
// it misses (editors that rename over the file, platforms where watch is flaky,
// a folder created later).

const MAX_PATHS = 32;

export interface WatchOptions {
  pollMs?: number;
  debounceMs?: number;
}

export interface ClientConfigWatcherDeps {
  env: () => Promise<Env>;
  platform: NodeJS.Platform;
  store: KeyValueStore;
  emit: Emit;
}

interface FileState {
  location: ConfigLocation;
  /** mtime, size and inode as last checked: a difference means read again. */
  stamp?: string;
  /** What the file held at the last successful read. */
  current?: FileBaseline;
  pending?: ClientConfigChange;
}

export class ClientConfigWatcher {
  private readonly files = new Map<string, FileState>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly debounce = new Map<string, NodeJS.Timeout>();
  private poll?: NodeJS.Timeout;
  private started?: Promise<void>;
  private stopped = false;
  private readonly baselines;

  constructor(
    private readonly deps: ClientConfigWatcherDeps,
    private readonly options: WatchOptions = {},
  ) {
    this.baselines = settingsKey(deps.store, 'clientConfigs.baselines');
  }

  start(): Promise<void> {
    this.started ??= (async () => {
      const env = await this.deps.env();
      if (this.stopped) return;
      for (const location of configPaths(env, this.deps.platform).slice(0, MAX_PATHS)) this.files.set(location.path, { location });
      this.checkAll();
      this.watchFolders();
      this.poll = setInterval(() => {
        this.watchFolders();
        this.checkAll();
      }, this.options.pollMs ?? 3000);
      this.poll.unref?.();
    })();
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    for (const timer of this.debounce.values()) clearTimeout(timer);
    this.debounce.clear();
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Pending changes, once the first check is done (none when the watcher is off). */
  async list(): Promise<ClientConfigChange[]> {
    if (this.started) await this.started;
    return [...this.files.values()].flatMap((f) => (f.pending ? [f.pending] : []));
  }

  /** The file as last seen becomes the baseline: what the user was shown is what they accepted. */
  async acknowledge(path: string): Promise<ClientConfigChange[]> {
    if (this.started) await this.started;
    const file = this.files.get(path);
    if (file?.current) {
      this.saveBaseline(path, file.current);
      file.pending = undefined;
      file.stamp = undefined; // read again: it may have changed since it was shown
      this.check(file);
    }
    return this.list();
  }

  /** Switchboard itself wrote these servers into the file: they join its baseline; anything else pending stays. */
  acceptServers(path: string, names: readonly string[]): void {
    const file = this.files.get(path);
    if (!file || this.stopped) return;
    const read = readBoundedFile(path);
    if (!('text' in read)) return;
    const now = baselineOf(parseFormat(file.location.format, read.text, file.location).servers);
    const stored = FileBaseline.safeParse(this.baselines.read()[path]);
    const next: FileBaseline = stored.success ? { servers: { ...stored.data.servers } } : now;
    for (const name of names) if (now.servers[name]) next.servers[name] = now.servers[name];
    this.saveBaseline(path, next);
    file.stamp = undefined;
    this.check(file);
  }

  private watchFolders(): void {
    for (const folder of new Set([...this.files.keys()].map((p) => dirname(p)))) {
      if (this.watchers.has(folder) || this.stopped) continue;
      try {
        const w = watch(folder, { persistent: false }, (_type, name) => this.changed(folder, name ? String(name) : undefined));
        // A folder removed or unwatchable: drop it; the poll carries on and retries.
        w.on('error', () => {
          w.close();
          this.watchers.delete(folder);
        });
        this.watchers.set(folder, w);
      } catch {
        // Not there (yet): the poll notices the file when it appears.
      }
    }
  }

  private changed(folder: string, name: string | undefined): void {
    for (const file of this.files.values()) {
      if (dirname(file.location.path) !== folder || (name !== undefined && basename(file.location.path) !== name)) continue;
      const path = file.location.path;
      clearTimeout(this.debounce.get(path));
      const timer = setTimeout(() => {
        this.debounce.delete(path);
        file.stamp = undefined;
        this.check(file);
      }, this.options.debounceMs ?? 250);
      timer.unref?.();
      this.debounce.set(path, timer);
    }
  }

  private checkAll(): void {
    for (const file of this.files.values()) this.check(file);
  }

  private check(file: FileState): void {
    if (this.stopped) return;
    const { path } = file.location;
    let stamp: string;
    try {
      const s = statSync(path);
      stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch {
      file.stamp = 'missing'; // a file that disappears is not an alert; its baseline stays for when it comes back
      return;
    }
    if (stamp === file.stamp) return;
    file.stamp = stamp;
    const read = readBoundedFile(path);
    if (!('text' in read)) return;
    const parsed = parseFormat(file.location.format, read.text, file.location);
    // Half-written or broken: wait for the next write rather than report every server as lost.
    if (parsed.problems.some((p) => p.severity === 'error' && p.server === undefined)) return;
    const current = baselineOf(parsed.servers);
    file.current = current;
    const stored = FileBaseline.safeParse(this.baselines.read()[path]);
    if (!stored.success) {
      this.saveBaseline(path, current);
      return;
    }
    const changes = diffBaselines(stored.data, current);
    const before = JSON.stringify(file.pending?.changes ?? []);
    file.pending = changes.length ? { path, client: file.location.client as McpClientId, changes } : undefined;
    if (JSON.stringify(changes) !== before) this.deps.emit('clientConfigChanged', { path, client: file.location.client as McpClientId, changes });
  }

  private saveBaseline(path: string, baseline: FileBaseline): void {
    this.baselines.write({ ...this.baselines.read(), [path]: storable(baseline) });
  }
}
