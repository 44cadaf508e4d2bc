import { execFile } from 'node:child_process';

// Servers are spawned in their own process group (POSIX) so that stopping one
// reaches every descendant: an `npx` wrapper's real server, a shell's children.
// On Windows `taskkill /T` walks the tree. Never through a shell.

export function signalTree(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    const args = ['/pid', String(pid), '/T'];
    if (signal === 'SIGKILL') args.push('/F');
    execFile('taskkill', args, { windowsHide: true }, () => undefined);
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone (or was never created); try the process itself.
    try {
      process.kill(pid, signal);
    } catch {
      /* already exited */
    }
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pid: number): boolean {
  if (process.platform === 'win32') {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
