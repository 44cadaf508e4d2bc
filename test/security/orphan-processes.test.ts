import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_FILE } from '../../electron/core/servers/process-guard';
import { processIdentity } from '../../electron/core/servers/process-identity';
import { bundleForChild } from '../helpers/child-bundle';
import { useCleanup } from '../helpers/cleanup';
import { FIXTURE_SERVER, processAlive, startTestCore, waitFor } from '../helpers/core';

// Servers must not outlive the core: not when it is SIGKILLed (the watchdog
// acts at once, the reaper at the next start), not on a clean shutdown, and not
// through a helper that left the process group with setsid. And a PID we wrote
// down must never be signalled once it names some other process.

const posix = process.platform !== 'win32';
const track = useCleanup();
/** Alive and not a zombie (an orphan's zombie waits for init to reap it; it runs nothing). */
function live(pid: number): boolean {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return processAlive(pid);
}

/** Kills `pid` after the test if it still runs. */
const killAfterTest = (pid: number) => track.defer(() => live(pid) && process.kill(pid, 'SIGKILL'));

let coreChild: string;
beforeAll(async () => {
  coreChild = await bundleForChild(join(import.meta.dirname, '../fixtures/children/core-with-servers.ts'));
  return () => rmSync(join(coreChild, '..'), { recursive: true, force: true });
});

interface RunningCore {
  child: ChildProcess;
  dataDir: string;
  /** Servers, their grandchildren and the setsid helper. */
  pids: number[];
}

async function startCoreInChild(watchdog: 'watchdog' | 'no-watchdog', mode: 'wait' | 'shutdown'): Promise<RunningCore> {
  const dataDir = track.tempDir('switchboard-orphans-');
  const pidDir = track.tempDir('switchboard-orphan-pids-');
  const child = spawn(process.execPath, [coreChild, dataDir, FIXTURE_SERVER, pidDir, watchdog, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`core child exited with ${code} before its servers were up`)));
  });
  const { servers } = JSON.parse(line) as { servers: number[] };
  const helpers = ['grandchild-1', 'grandchild-2', 'setsid-helper'].map((name) => join(pidDir, name));
  await waitFor(() => helpers.every((file) => existsSync(file) && readFileSync(file, 'utf8').length > 0), 5000, 'helper pid files');
  const pids = [...servers, ...helpers.map((file) => Number(readFileSync(file, 'utf8')))];
  expect(pids).toHaveLength(6);
  pids.forEach(killAfterTest);
  return { child, dataDir, pids };
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const survivors = (pids: number[]) => pids.filter(live);

describe.runIf(posix)('orphaned server processes', () => {
  it('SIGKILLing the core cannot leave servers, grandchildren or a setsid helper running past the next start', async () => {
    const run = await startCoreInChild('no-watchdog', 'wait');
    await sigkill(run.child);
    await new Promise((r) => setTimeout(r, 500));
    // The attack is real: stdin closing does not stop everything.
    expect(survivors(run.pids).length).toBeGreaterThan(0);
    const t = track(startTestCore({ dataDir: run.dataDir }));
    await t.core.start();
    await waitFor(() => survivors(run.pids).length === 0, 1000, 'no survivors').catch(() => undefined);
    expect(survivors(run.pids)).toEqual([]);
  }, 60_000);

  it('SIGKILLing the core cannot leave anything running even before a restart (watchdog)', async () => {
    const run = await startCoreInChild('watchdog', 'wait');
    await sigkill(run.child);
    await waitFor(() => survivors(run.pids).length === 0, 8000, 'no survivors').catch(() => undefined);
    expect(survivors(run.pids)).toEqual([]);
  }, 60_000);

  it('a clean shutdown leaves nothing running, including a helper that left the process group with setsid', async () => {
    const run = await startCoreInChild('watchdog', 'shutdown');
    await new Promise((r) => (run.child.exitCode !== null ? r(undefined) : run.child.once('exit', r)));
    expect(run.child.exitCode).toBe(0);
    await waitFor(() => survivors(run.pids).length === 0, 1000, 'no survivors').catch(() => undefined);
    expect(survivors(run.pids)).toEqual([]);
  }, 60_000);

  it('a recorded PID that now names an unrelated process is never signalled at startup', async () => {
    const dataDir = track.tempDir('switchboard-pid-reuse-');
    const spawnIdle = (detached: boolean) => {
      const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached });
      killAfterTest(p.pid!);
      return p.pid!;
    };
    // Unrelated processes that took over recorded PIDs: one leads its own group (a group signal would hit it).
    const reusedLeader = spawnIdle(true);
    const reusedSingle = spawnIdle(false);
    // Positive control: a recorded process whose identity still matches is an orphan and goes.
    const orphan = spawnIdle(true);
    await waitFor(() => [reusedLeader, reusedSingle, orphan].every(live), 5000, 'idle processes');
    const orphanIdentity = await processIdentity(orphan);
    const stale = (await processIdentity(reusedLeader))!.replace(/[^:]+$/, '1'); // same boot, another start time
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(
      join(dataDir, REGISTRY_FILE),
      JSON.stringify({
        version: 1,
        owner: { pid: dead.pid, identity: stale },
        entries: [
          { pid: reusedLeader, identity: stale, group: true, server: reusedLeader },
          { pid: reusedSingle, identity: stale, group: false, server: reusedLeader },
          { pid: orphan, identity: orphanIdentity, group: true, server: orphan },
        ],
      }),
      { mode: 0o600 },
    );
    const t = track(startTestCore({ dataDir }));
    await t.core.start();
    await waitFor(() => !live(orphan), 3000, 'orphan reaped').catch(() => undefined);
    expect({ reusedLeader: live(reusedLeader), reusedSingle: live(reusedSingle), orphan: live(orphan) }).toEqual({
      reusedLeader: true,
      reusedSingle: true,
      orphan: false,
    });
  }, 30_000);

  it('the servers of a core that is still running on the data dir are not reaped', async () => {
    const dataDir = track.tempDir('switchboard-live-owner-');
    const spawnIdle = () => {
      const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
      killAfterTest(p.pid!);
      return p.pid!;
    };
    const owner = spawnIdle();
    const server = spawnIdle();
    await waitFor(() => live(owner) && live(server), 5000, 'idle processes');
    writeFileSync(
      join(dataDir, REGISTRY_FILE),
      JSON.stringify({
        version: 1,
        owner: { pid: owner, identity: await processIdentity(owner) },
        entries: [{ pid: server, identity: await processIdentity(server), group: true, server }],
      }),
    );
    const t = track(startTestCore({ dataDir }));
    await t.core.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(live(server)).toBe(true);
  }, 30_000);
});
