import type { Core } from '../core/app-core';
import { signalTree } from '../core/servers/process-tree';

// Quitting stops every server (and its process tree) first. Electron asks again
// (`before-quit`) on every quit attempt: a second Cmd+Q, the last window closing,
// the OS logging out. Each of those must wait for the same cleanup, so the
// default is prevented until cleanup has finished, and cleanup runs once.
// If cleanup hangs, the deadline ends the process anyway.

export interface QuittableApp {
  quit(): void;
  exit(code?: number): void;
}

export interface ShutdownOptions {
  app: QuittableApp;
  /** Stops servers and closes stores. Runs once. */
  cleanup: () => Promise<void>;
  /** How long cleanup may take before the process exits regardless. */
  deadlineMs: number;
  /** Last resort when the deadline passes (e.g. SIGKILL what is still running). */
  onDeadline?: () => void;
  log?: (message: string, error?: unknown) => void;
  setTimer?: (fn: () => void, ms: number) => { unref?(): void };
  clearTimer?: (timer: unknown) => void;
}

export type ShutdownState = 'running' | 'stopping' | 'stopped';

export interface Shutdown {
  state(): ShutdownState;
  /** True from the first quit request on: IPC and new windows are refused. */
  started(): boolean;
  /** The `before-quit` listener. */
  beforeQuit(event: { preventDefault(): void }): void;
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { app, cleanup, deadlineMs, onDeadline, log = () => undefined } = options;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  let state: ShutdownState = 'running';
  let exited = false; // the deadline ended the process

  return {
    state: () => state,
    started: () => state !== 'running',
    beforeQuit(event) {
      if (state === 'stopped') return; // cleanup is done: let this quit through
      event.preventDefault();
      if (state === 'stopping') return; // already under way; this request waits for it
      state = 'stopping';
      const timer = setTimer(() => {
        log(`Shutdown did not finish within ${deadlineMs} ms; exiting anyway.`);
        try {
          onDeadline?.();
        } finally {
          exited = true;
          state = 'stopped';
          app.exit(1);
        }
      }, deadlineMs);
      void (async () => {
        try {
          await cleanup();
        } catch (error) {
          log('Shutdown cleanup failed:', error);
        }
        if (exited) return; // the deadline already ended the process
        clearTimer(timer);
        state = 'stopped';
        app.quit();
      })();
    },
  };
}

/**
 * Cleanup for the core: stop every server. At the deadline, SIGKILL the process
 * groups that were running when shutdown began; they run in their own groups and
 * would outlive us. The pids are taken first because a stopping server drops its
 * pid at once.
 */
export function coreCleanup(core: () => Pick<Core, 'shutdown' | 'servers'> | undefined): Pick<ShutdownOptions, 'cleanup' | 'onDeadline'> {
  let pids: number[] = [];
  return {
    cleanup: async () => {
      const running = core();
      if (!running) return;
      pids = running.servers.pids();
      await running.shutdown();
    },
    onDeadline: () => pids.forEach((pid) => signalTree(pid, 'SIGKILL')),
  };
}
