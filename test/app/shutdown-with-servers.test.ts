import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';

// Quitting the app while it runs real server processes (a fixture server and
// its grandchild), through the main process's shutdown and IPC gate against a
// stand-in `electron` module (see electron/main/main-adapters.test.ts).
const ipcHandlers = new Map<string, (event: unknown, request: unknown) => Promise<Envelope>>();
vi.mock('electron', () => ({
  app: { on: vi.fn() },
  ipcMain: { handle: (channel: string, fn: (event: unknown, request: unknown) => Promise<Envelope>) => ipcHandlers.set(channel, fn), removeHandler: vi.fn() },
}));

const { registerIpc } = await import('../../electron/main/ipc');
const { coreCleanup, createShutdown } = await import('../../electron/main/shutdown');
const { FIXTURE_SERVER, processAlive, startTestCore, waitFor } = await import('../helpers/core');
const { methodChannel } = await import('../../shared/contract');

describe('shutdown with real servers', () => {
  const track = useCleanup();

  async function coreWithServer(mode: string) {
    const t = startTestCore();
    track(t);
    const pidFile = join(t.dataDir, 'grandchild.pid');
    const { server } = await t.call('addServer', {
      config: { transport: 'stdio', name: 'quit-test', command: process.execPath, args: [FIXTURE_SERVER, mode, `grandchild=${pidFile}`] },
    });
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    await t.call('connectServer', { serverId: server.id });
    const pids = [...t.core.servers.pids(), Number(readFileSync(pidFile, 'utf8'))];
    expect(pids.every(processAlive)).toBe(true);
    return { t, pids };
  }

  it('quitting twice stops the server tree once, refuses IPC meanwhile, then quits', async () => {
    const { t, pids } = await coreWithServer('ok');
    const cleanup = vi.fn(() => t.core.shutdown());
    const app = { quit: vi.fn(), exit: vi.fn() };
    const shutdown = createShutdown({ app, cleanup, deadlineMs: 20_000 });
    registerIpc(t.core, undefined, shutdown.started);
    const connect = ipcHandlers.get(methodChannel('connectServer'))!;
    const event = { senderFrame: { url: 'app://switchboard/index.html', parent: null } };
    const first = { preventDefault: vi.fn() };
    const second = { preventDefault: vi.fn() };
    shutdown.beforeQuit(first);
    shutdown.beforeQuit(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(await connect(event, { serverId: 'any' })).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(cleanup).toHaveBeenCalledTimes(1);
    await waitFor(() => pids.every((pid) => !processAlive(pid)), 5000, 'server tree to exit');
    expect(app.exit).not.toHaveBeenCalled();
  });

  it('at the deadline, a server that ignores SIGTERM is killed with its grandchild before exit', async () => {
    const { t, pids } = await coreWithServer('ignore-sigterm');
    const app = { quit: vi.fn(), exit: vi.fn() };
    const shutdown = createShutdown({ app, ...coreCleanup(() => t.core), deadlineMs: 300 });
    const started = Date.now();
    shutdown.beforeQuit({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1), { timeout: 5000 });
    // A loaded 2-core machine can take a while to reap; the bound that matters is that the
    // deadline's SIGKILL came before the normal stop sequence (2 s after stdin closes + 2 s after SIGTERM).
    await waitFor(() => pids.every((pid) => !processAlive(pid)), 3000, 'server tree to be killed');
    expect(Date.now() - started).toBeLessThan(3600);
  });

  it('a connect still waiting when shutdown begins (autostart, say) never spawns its server', async () => {
    const t = startTestCore();
    track(t);
    const marker = join(t.dataDir, 'started.marker');
    const { server } = await t.call('addServer', {
      config: { transport: 'stdio', name: 'late', command: process.execPath, args: [FIXTURE_SERVER, `marker=${marker}`] },
    });
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    const connecting = t.call('connectServer', { serverId: server.id }).catch((error: Error) => error);
    await t.core.shutdown(); // begins while the connect is still reading its approval
    await connecting;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(marker)).toBe(false);
    expect(t.core.servers.pids()).toEqual([]);
    expect(await t.call('connectServer', { serverId: server.id }).catch((error: { code?: string }) => error.code)).toBe('SHUTTING_DOWN');
  });
});
