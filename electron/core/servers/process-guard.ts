import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { NodeRuntime } from '../ports';
import { writeFileAtomic } from '../settings';
import { linuxIdentity, linuxIdentityOf, processIdentity, readProcTable } from './process-identity';
import { signalTree } from './process-tree';
import { WATCHDOG_SOURCE } from './watchdog-source';

// Keeps server processes from outliving the core.
//
// 1. A registry on disk (<dataDir>/processes.json, 0600, atomic writes) of every
//    live server's process group, and on Linux of every process in its tree,
//    each with an identity (process-identity.ts). At startup the previous run's
//    entries are terminated: only those whose identity still matches, and not at
//    all while the core that wrote them is still alive.
// 2. A watchdog process (watchdog-source.ts) that terminates the registry's
//    entries the moment the core dies, where a plain Node runtime can be started.
// 3. On Linux, a scan of /proc (soon after spawn, once the server is up, every 2 s
//    while servers run, and when a stop begins) records descendants that left the server's process group (a
//    helper that called setsid), so stop, the watchdog and the startup reaper
//    reach them. One read of /proc per scan; at most 256 processes per server.

export const REGISTRY_FILE = 'processes.json';
const MAX_ENTRIES = 4096;
const MAX_PER_SERVER = 256;
const MAX_REGISTRY_BYTES = 1024 * 1024;

const Entry = z.object({
  pid: z
    .number()
    .int()
    .min(2)
    .max(2 ** 31),
  identity: z.string().min(1).max(200),
  group: z.boolean(),
  server: z.number().int(),
});
const Registry = z.object({
  version: z.literal(1),
  owner: z.object({ pid: z.number().int(), identity: z.string().max(200).optional() }),
  entries: z.array(Entry).max(MAX_ENTRIES),
});
export type RegistryEntry = z.infer<typeof Entry>;

/** What the stdio transport tells the guard. */
export interface ProcessWatch {
  /** A server process started; on POSIX it leads its own process group. */
  spawned(pid: number): void;
  /** Record the server's tree now: when a stop begins or it exits, while the parent links still hold. */
  snapshot(pid: number): void;
  /** Record the trees shortly (coalesced): after a server came up, helpers it started during initialize. */
  scanSoon(): void;
  /** The server's group is gone: terminate what escaped it and forget the server. */
  stopped(pid: number): Promise<void>;
}

export interface ProcessGuardOptions {
  dataDir: string;
  /** How to run plain Node for the watchdog; null where none can be started. */
  nodeRuntime: NodeRuntime | null;
  graceMs?: number;
  scanIntervalMs?: number;
}

export class ProcessGuard implements ProcessWatch {
  /** Resolves once the previous run's orphans are dealt with; spawns wait for it. */
  readonly ready: Promise<number>;
  private readonly file: string;
  private readonly entries = new Map<number, RegistryEntry>();
  private readonly pendingIdentity = new Set<Promise<void>>();
  private watchdog?: ChildProcess;
  private timer?: NodeJS.Timeout;
  private soon?: NodeJS.Timeout;
  private lastScan = 0;
  private written = '';
  private closed = false;

  constructor(private readonly options: ProcessGuardOptions) {
    this.file = join(options.dataDir, REGISTRY_FILE);
    this.ready = reapPrevious(this.file, options.graceMs).catch(() => 0);
    if (process.platform !== 'linux') void processIdentity(process.pid).then((id) => (own = id));
  }

  spawned(pid: number): void {
    if (this.closed) return;
    const add = (identity: string | undefined) => {
      // Unreadable identity: the process already exited; nothing to guard.
      if (!identity || this.closed) return;
      // On Windows a "group" is the tree under the server: taskkill /T.
      this.entries.set(pid, { pid, identity, group: true, server: pid });
      this.persist();
    };
    if (process.platform === 'linux') add(linuxIdentity(pid));
    else {
      const pending = processIdentity(pid).then(add);
      this.pendingIdentity.add(pending);
      void pending.finally(() => this.pendingIdentity.delete(pending));
    }
    this.startWatchdog();
    if (process.platform === 'linux') {
      // Soon after spawn (helpers start early), then periodically.
      this.scanSoon();
      this.timer ??= setInterval(() => this.scan(), this.options.scanIntervalMs ?? 2000);
      this.timer.unref();
    }
  }

  snapshot(): void {
    this.scan();
  }

  scanSoon(): void {
    if (this.soon || process.platform !== 'linux') return;
    // Fifty servers starting at once share a handful of scans instead of a hundred.
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.scan();
    }, 300);
    this.soon.unref();
  }

  async stopped(pid: number): Promise<void> {
    const tree = [...this.entries.values()].filter((e) => e.server === pid && !e.group);
    if (tree.length) await terminate(tree, this.options.graceMs);
    for (const e of tree) if (!(await isAlive(e))) this.entries.delete(e.pid);
    const leader = this.entries.get(pid);
    if (leader && !(await isAlive(leader))) this.entries.delete(pid);
    if (!this.entries.size && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.persist();
  }

  /** Clean shutdown, after every server was stopped: tell the watchdog not to act, and stop scanning. */
  async close(): Promise<void> {
    await Promise.all(this.pendingIdentity);
    this.closed = true;
    if (this.soon) clearTimeout(this.soon);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.persist();
    const watchdog = this.watchdog;
    this.watchdog = undefined;
    if (watchdog?.stdin && !watchdog.stdin.destroyed) {
      watchdog.stdin.end('bye\n');
    }
  }

  /** Entries currently recorded (tests and diagnostics). */
  recorded(): RegistryEntry[] {
    return [...this.entries.values()];
  }

  private startWatchdog(): void {
    const runtime = this.options.nodeRuntime;
    if (this.watchdog || !runtime) return;
    const env = { ...(runtime.env ?? process.env) };
    delete env.NODE_OPTIONS; // nothing may load into the watchdog but its own source
    let child: ChildProcess;
    try {
      child = spawn(runtime.command, ['-e', WATCHDOG_SOURCE, this.file, String(process.pid)], {
        stdio: ['pipe', 'ignore', 'ignore'],
        env,
        // Its own session: a terminal's Ctrl-C or hangup reaching the core does not reach it.
        detached: process.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
    } catch {
      return;
    }
    this.watchdog = child;
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.once('exit', () => {
      if (this.watchdog === child) this.watchdog = undefined; // respawned on the next server start
    });
    // Neither the process nor its pipe may keep the core's event loop alive.
    child.unref();
    (child.stdin as Socket | null)?.unref?.();
  }

  /** Linux: records every process in each server's tree and group, including those that left the group. */
  private scan(): void {
    if (process.platform !== 'linux' || this.closed || !this.entries.size) return;
    // Stopping every server at shutdown asks once per server in the same instant: one scan serves them all.
    if (Date.now() - this.lastScan < 20) return;
    const table = readProcTable();
    this.lastScan = Date.now();
    const byPid = new Map(table.map((s) => [s.pid, s]));
    const children = new Map<number, number[]>();
    for (const s of table) {
      const list = children.get(s.ppid);
      if (list) list.push(s.pid);
      else children.set(s.ppid, [s.pid]);
    }
    let changed = false;
    for (const leader of [...this.entries.values()].filter((e) => e.group)) {
      const known = [...this.entries.values()].filter((e) => e.server === leader.pid);
      const found = new Set<number>();
      // Descendants of the leader and of everything recorded for it (a stray's own children
      // are found after the stray was reparented), and every member of its group.
      const queue = known.map((e) => e.pid);
      for (const s of table) if (s.pgrp === leader.pid) queue.push(s.pid);
      while (queue.length && found.size < MAX_PER_SERVER) {
        const pid = queue.shift()!;
        if (found.has(pid)) continue;
        found.add(pid);
        for (const child of children.get(pid) ?? []) queue.push(child);
      }
      for (const pid of found) {
        const stat = byPid.get(pid);
        if (!stat || stat.state === 'Z' || this.entries.has(pid) || this.entries.size >= MAX_ENTRIES) continue;
        this.entries.set(pid, { pid, identity: linuxIdentityOf(stat), group: false, server: leader.pid });
        changed = true;
      }
    }
    // Forget what has exited (or whose PID now names another process).
    for (const e of [...this.entries.values()]) {
      const stat = byPid.get(e.pid);
      const gone = !stat || stat.state === 'Z' || linuxIdentityOf(stat) !== e.identity;
      const groupLives = e.group && table.some((s) => s.pgrp === e.pid && s.state !== 'Z');
      if (gone && !groupLives) {
        this.entries.delete(e.pid);
        changed = true;
      }
    }
    if (changed) this.persist();
  }

  private persist(): void {
    const registry = { version: 1 as const, owner: { pid: process.pid, identity: ownIdentity() }, entries: [...this.entries.values()] };
    const text = JSON.stringify(registry);
    if (text === this.written) return;
    try {
      if (!registry.entries.length && this.closed) rmSync(this.file, { force: true });
      else writeFileAtomic(this.file, text);
      this.written = text;
    } catch {
      /* the data dir went away; the watchdog and reaper then have nothing to act on */
    }
  }
}

let own: string | undefined;
function ownIdentity(): string | undefined {
  if (process.platform === 'linux') own ??= linuxIdentity(process.pid);
  return own;
}

/** Terminates the previous run's recorded processes; returns how many were signalled. */
export async function reapPrevious(file: string, graceMs?: number): Promise<number> {
  removeStaleTemps(file);
  let registry: z.infer<typeof Registry>;
  try {
    if (statSync(file).size > MAX_REGISTRY_BYTES) throw new Error('too large');
    registry = Registry.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    rmSync(file, { force: true }); // missing, or not ours to trust: signal nothing
    return 0;
  }
  // The core that wrote it is still running (another instance on this data dir): its servers are not orphans.
  const { owner } = registry;
  if (owner.pid !== process.pid && owner.identity && (await processIdentity(owner.pid)) === owner.identity) return 0;
  const count = await terminate(registry.entries, graceMs);
  rmSync(file, { force: true });
  return count;
}

/** `processes.json.<pid>.tmp` left by a crash between write and rename (writeFileAtomic). */
function removeStaleTemps(file: string): void {
  const prefix = basename(file) + '.';
  try {
    for (const name of readdirSync(dirname(file)).slice(0, 10_000)) {
      if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length)) && Number(name.slice(prefix.length, -4)) !== process.pid)
        rmSync(join(dirname(file), name), { force: true });
    }
  } catch {
    /* no data dir yet */
  }
}

/**
 * SIGTERM, up to `graceMs`, then SIGKILL; only to entries whose identity matches now.
 * A verified group is signalled as a group until it is empty: while any member
 * lives, the kernel does not hand its number to a new process (Linux, macOS).
 */
export async function terminate(entries: RegistryEntry[], graceMs = 2000): Promise<number> {
  const targets: RegistryEntry[] = [];
  for (const e of entries) if ((await processIdentity(e.pid)) === e.identity) targets.push(e);
  for (const e of targets) signal(e, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    const alive = await Promise.all(targets.map(isAlive));
    if (!alive.includes(true)) return targets.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  for (const e of targets) if (await isAlive(e)) signal(e, 'SIGKILL');
  return targets.length;
}

async function isAlive(e: RegistryEntry): Promise<boolean> {
  if (!e.group) return (await processIdentity(e.pid)) === e.identity;
  try {
    process.kill(process.platform === 'win32' ? e.pid : -e.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(e: RegistryEntry, sig: NodeJS.Signals): void {
  if (e.group) return signalTree(e.pid, sig);
  try {
    process.kill(e.pid, sig);
  } catch {
    /* exited meanwhile */
  }
}
