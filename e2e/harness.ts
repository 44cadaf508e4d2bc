import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, chromium, type BrowserContext, type Page } from '@playwright/test';
import { buildBridge } from '../shared/bridge';
import { eventChannel, eventNames, methodNames } from '../shared/contract';
import { createCore } from '../electron/core/app-core';
import { createConfStore } from '../electron/core/node-ports/conf-store';
import { openStoreSafely } from '../electron/core/settings/open-store';
import { createKeyfileCipher } from '../electron/core/node-ports/keyfile-cipher';
import { assertSafeUrl } from '../electron/core/net/url-policy';
import type { Cipher } from '../electron/core/ports';
import { serveAppFrames, serveDir } from './static-server';
import { nodeUpdater } from '../test/helpers/update-engine';

// One way for every e2e spec to start Switchboard. Where an Electron binary
// exists, the real app runs under Playwright's _electron. Otherwise (this
// workplace cannot download Electron) the built renderer runs in Chromium and
// talks to the real core in this process, through the same contract: the init
// script installs the very bridge the preload installs, with exposeBinding in
// place of ipcRenderer. URLs the app opens in the system browser open as new
// pages in `context` in both modes.

export interface LaunchOptions {
  dataDir?: string;
  env?: Record<string, string>;
}

export interface LaunchedApp {
  page: Page;
  context: BrowserContext;
  dataDir: string;
  mode: 'electron' | 'chromium-bridge';
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');
const RENDERER_DIR = join(ROOT, 'out/renderer');

function electronBinary(): string | undefined {
  if (process.env.SWITCHBOARD_E2E_MODE === 'chromium') return undefined;
  const candidate =
    process.env.ELECTRON_EXEC_PATH ??
    join(
      ROOT,
      'node_modules/electron/dist',
      process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
  return existsSync(candidate) ? candidate : undefined;
}

/** Same encryption, but reporting what Electron reports without a keyring. */
function basicTextCipher(keyPath: string): Cipher {
  return { ...createKeyfileCipher(keyPath), backend: async () => 'safeStorage:basic_text', isSecure: async () => false };
}

export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
}

export async function launchApp(options: LaunchOptions = {}): Promise<LaunchedApp> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` before the e2e suite.');
  const binary = electronBinary();
  return binary ? launchElectron(binary, dataDir, ownDir, options) : launchBridge(dataDir, ownDir, options);
}

async function launchElectron(executablePath: string, dataDir: string, ownDir: boolean, options: LaunchOptions): Promise<LaunchedApp> {
  const app = await _electron.launch({
    executablePath,
    // SWITCHBOARD_E2E_INSTALL_LINK: the app is started by an install link, as the OS does (argv).
    args: [join(ROOT, 'out/main/index.js'), ...(options.env?.SWITCHBOARD_E2E_INSTALL_LINK ? [options.env.SWITCHBOARD_E2E_INSTALL_LINK] : [])],
    env: { ...process.env, ...options.env, SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_E2E: '1' } as Record<string, string>,
  });
  const page = await app.firstWindow();
  return {
    page,
    context: app.context(),
    dataDir,
    mode: 'electron',
    async close() {
      await app.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function launchBridge(dataDir: string, ownDir: boolean, options: LaunchOptions): Promise<LaunchedApp> {
  const executablePath = chromiumPath();
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // MCP App frames: one origin per server (http://<label>.localhost:<port>), the only thing the renderer may frame.
  // (Asked only once a page loads a frame, after the core below exists.)
  const frames = await serveAppFrames(() => core.apps.documents);
  const site = await serveDir(RENDERER_DIR, { frameSrc: `http://*.localhost:${frames.port}` });
  const appOrigin = new URL(site.url).origin;
  const settings = openStoreSafely(() => createConfStore(dataDir), join(dataDir, 'settings.json'));
  const core = createCore(
    {
      // SWITCHBOARD_E2E_INSECURE_STORAGE=1 plays Linux without a keyring (safeStorage's basic_text).
      cipher:
        options.env?.SWITCHBOARD_E2E_INSECURE_STORAGE === '1' ? basicTextCipher(join(dataDir, 'vault.key')) : createKeyfileCipher(join(dataDir, 'vault.key')),
      store: settings.store,
      browser: {
        // The system browser, as far as the test is concerned: a new page in the same context.
        open: async (url) => {
          const target = assertSafeUrl(url, 'browser');
          const tab = await context.newPage();
          void tab.goto(target.href).catch(() => undefined);
        },
      },
      // The native folder dialog, as far as a test is concerned: the folder named in SWITCHBOARD_E2E_FOLDER.
      folderPicker: options.env?.SWITCHBOARD_E2E_FOLDER ? { choose: async () => options.env!.SWITCHBOARD_E2E_FOLDER } : undefined,
      // The native save dialog, as far as a test is concerned: the path named in SWITCHBOARD_E2E_SAVE_PATH.
      desktop: options.env?.SWITCHBOARD_E2E_SAVE_PATH ? { chooseSavePath: async () => options.env!.SWITCHBOARD_E2E_SAVE_PATH } : undefined,
      dataDir,
      env: { ...process.env, ...options.env },
      appFrameOrigin: (label) => `http://${label}.localhost:${frames.port}`,
      // SWITCHBOARD_E2E_UPDATE_FEED: a real electron-updater updater (app version 0.1.0) fed by an update server on 127.0.0.1.
      updateEngine: options.env?.SWITCHBOARD_E2E_UPDATE_FEED
        ? nodeUpdater({ feedUrl: options.env.SWITCHBOARD_E2E_UPDATE_FEED, version: '0.1.0', dir: join(dataDir, 'updater') }).engine
        : undefined,
    },
    {
      startupNotices: settings.notice ? [settings.notice] : [],
      onInternalError: (method, error) => console.error(`[core] ${method}:`, error),
      updateAutoCheck: false,
    },
  );

  const page = await context.newPage();
  // Same sender check as the main process: only the app page's top frame may call.
  await page.exposeBinding('__switchboardInvoke', async (source, channel: string, request: unknown) => {
    if (source.frame !== source.page.mainFrame() || new URL(source.frame.url()).origin !== appOrigin)
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This frame may not call Switchboard.' } };
    return core.dispatch(String(channel).replace(/^switchboard:call:/, ''), request);
  });
  const bridgeSource = buildBridge.toString();
  await page.addInitScript(
    ({ source, methods, events }) => {
      // As in Electron (the preload runs in the top frame only): frames, MCP Apps among them, get no bridge.
      if (window !== window.top) return;
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const w = window as unknown as Record<string, unknown>;
      w.__switchboardEmit = (batch: [string, unknown][]) => {
        for (const [channel, payload] of batch) listeners.get(channel)?.forEach((l) => l(payload));
      };
      const build = new Function(`return (${source})`)() as typeof buildBridge;
      w.switchboard = build(
        methods,
        events,
        (channel, request) => (w.__switchboardInvoke as (c: string, r: unknown) => Promise<unknown>)(channel, request),
        (channel, listener) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
          return () => listeners.get(channel)?.delete(listener);
        },
      );
    },
    { source: bridgeSource, methods: methodNames, events: eventNames },
  );

  // Events are batched per tick of 25 ms so log bursts cost one round trip.
  let queue: [string, unknown][] = [];
  let flushing: NodeJS.Timeout | undefined;
  const flush = () => {
    flushing = undefined;
    const batch = queue;
    queue = [];
    if (!page.isClosed())
      void page.evaluate((b) => (window as unknown as { __switchboardEmit?: (x: unknown) => void }).__switchboardEmit?.(b), batch).catch(() => undefined);
  };
  const unsubscribe = core.onEvent((name, payload) => {
    queue.push([eventChannel(name), payload]);
    flushing ??= setTimeout(flush, 25);
  });

  // Started by an install link: main hands a first-launch link to the core before the window is up.
  if (options.env?.SWITCHBOARD_E2E_INSTALL_LINK) core.installLinks.receive(options.env.SWITCHBOARD_E2E_INSTALL_LINK);
  await page.goto(site.url);
  void core.start();
  return {
    page,
    context,
    dataDir,
    mode: 'chromium-bridge',
    async close() {
      unsubscribe();
      if (flushing) clearTimeout(flushing);
      await core.shutdown();
      await browser.close();
      await site.close();
      await frames.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
