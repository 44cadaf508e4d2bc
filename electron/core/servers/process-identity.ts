import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

// PIDs are reused: a PID written down an hour ago (or before a crash) may now
// belong to an unrelated program. Before we signal a recorded PID we compare an
// identity taken when we recorded it with the identity the PID has now, and we
// never signal a PID whose identity we cannot read.
//
//   Linux:   "linux:<boot id>:<start time in clock ticks>" from /proc (no process spawned).
//   macOS and other POSIX: "ps:<lstart>" from `ps -o lstart= -p <pid>` (execFile, no shell);
//            one-second resolution, so a PID reused within the same second would match.
//   Windows: "win:<start time ticks>" from a fixed PowerShell script that reads the PID
//            from the environment (execFile, no string built from data).
//
// The watchdog (watchdog-source.ts) computes the same strings; keep them in step.

export const PS_ARGS = ['-o', 'lstart=', '-p'] as const;
export const WIN_IDENTITY_SCRIPT = '(Get-Process -Id ([int]$env:SWITCHBOARD_PID)).StartTime.ToUniversalTime().Ticks';
const MAX_PROC_ENTRIES = 100_000;

let bootId: string | undefined;
function linuxBootId(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = 'unknown';
    }
  }
  return bootId;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  state: string;
  /** Clock ticks since boot. */
  start: string;
}

/** Parses /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(pid: number, text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 (state); field N is fields[N - 3].
  const start = fields[19];
  if (!start || !/^\d+$/.test(start)) return undefined;
  return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]), start };
}

// One buffer for every read: a scan reads a few hundred of these small files.
const statBuffer = Buffer.alloc(4096);

export function readProcStat(pid: number): ProcStat | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/stat`, 'r');
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    return parseProcStat(pid, statBuffer.toString('latin1', 0, length));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export const linuxIdentityOf = (stat: ProcStat): string => `linux:${linuxBootId()}:${stat.start}`;

/** Linux only, synchronous: the identity of a live (non-zombie) process. */
export function linuxIdentity(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat && stat.state !== 'Z' ? linuxIdentityOf(stat) : undefined;
}

/** Every process on a Linux machine, one read of /proc. Bounded. */
export function readProcTable(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const table: ProcStat[] = [];
  for (const name of names) {
    if (table.length >= MAX_PROC_ENTRIES) break;
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat) table.push(stat);
  }
  return table;
}

/** The identity of a live process, or undefined when it is gone or cannot be read (never signal then). */
export function processIdentity(pid: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 1) return Promise.resolve(undefined);
  if (process.platform === 'linux') return Promise.resolve(linuxIdentity(pid));
  return new Promise((resolve) => {
    const done = (error: Error | null, stdout: string, prefix: string) => {
      const value = String(stdout ?? '').trim();
      resolve(!error && value ? `${prefix}:${value}` : undefined);
    };
    if (process.platform === 'win32') {
      execFile(
        'powershell.exe',
        ['-NoProfile', '-NonInteractive', '-Command', WIN_IDENTITY_SCRIPT],
        { env: { ...process.env, SWITCHBOARD_PID: String(pid) }, windowsHide: true, timeout: 10_000 },
        (error, stdout) => done(error, stdout, 'win'),
      );
    } else {
      execFile('ps', [...PS_ARGS, String(pid)], { timeout: 5000 }, (error, stdout) => done(error, stdout, 'ps'));
    }
  });
}
