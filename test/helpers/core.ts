import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app-core';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../../electron/core/node-ports/keyfile-cipher';
import type { BrowserOpener, DesktopPorts, FetchPort } from '../../electron/core/ports';
import type { UpdateEngine } from '../../electron/core/updates';
import type { EventName, MethodName, PayloadOf, RequestOf, ResponseOf, ServerView } from '../../shared/contract';

export const FIXTURE_SERVER = join(import.meta.dirname, '../fixtures/servers/fixture-server.mjs');
export const EVERYTHING_SERVER = join(import.meta.dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export interface TestCore {
  core: Core;
  dataDir: string;
  events: { name: EventName; payload: unknown }[];
  waitForEvent<E extends EventName>(name: E, predicate: (payload: PayloadOf<E>) => boolean, timeoutMs?: number): Promise<PayloadOf<E>>;
  /** Dispatches through the core exactly as IPC would; throws the error envelope as an Error with its code. */
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  close(): Promise<void>;
}

/** A real core on a temp data dir, with Node ports (conf + AES-GCM key file). */
export function startTestCore(
  options: CoreOptions & {
    browser?: BrowserOpener;
    dataDir?: string;
    fetch?: FetchPort;
    env?: NodeJS.ProcessEnv;
    desktop?: DesktopPorts;
    updateEngine?: UpdateEngine;
  } = {},
): TestCore {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const core = createCore(
    {
      cipher: createKeyfileCipher(join(dataDir, 'vault.key')),
      store: createConfStore(dataDir),
      browser: options.browser ?? { open: async () => undefined },
      dataDir,
      env: options.env ?? process.env,
      fetch: options.fetch,
      desktop: options.desktop,
      updateEngine: options.updateEngine,
    },
    options,
  );
  const events: { name: EventName; payload: unknown }[] = [];
  const waiters = new Set<() => void>();
  core.onEvent((name, payload) => {
    events.push({ name, payload });
    for (const w of [...waiters]) w();
  });
  return {
    core,
    dataDir,
    events,
    waitForEvent(name, predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((e) => e.name === name && predicate(e.payload as never));
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit.payload as never);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Timed out waiting for ${name}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async call(method, request) {
      const envelope = await core.dispatch(method, request);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
      return envelope.value as never;
    },
    async close() {
      await core.shutdown();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The text of a tool result's first content block (a test peeks at what the server answered). */
export function firstText(response: ResponseOf<'callTool'>): string | undefined {
  const content = response.result?.content;
  return Array.isArray(content) ? (content[0] as { text?: string } | undefined)?.text : undefined;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent has not reaped it yet is a zombie: dead, whatever kill(0) says.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Adds a local server run by this Node (`args` after the executable) and approves its launch, without connecting. */
export async function addApprovedNodeServer(t: TestCore, args: string[], extra: Record<string, unknown> = {}): Promise<ServerView> {
  const { server } = await t.call('addServer', {
    config: { transport: 'stdio', name: `srv-${Math.random().toString(36).slice(2, 7)}`, command: process.execPath, args, ...extra },
  });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  return server;
}
