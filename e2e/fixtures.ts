import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { launchApp, type LaunchedApp, type LaunchOptions } from './harness';

// Every e2e spec starts Switchboard through these fixtures instead of its own
// beforeEach/afterEach: `test('…', async ({ app }) => …)`. Teardown runs in
// reverse order of setup, so the app closes before its data dir is removed.

export interface AppFixtures {
  /** Closes what the test started (a server, a fixture) after the test, newest first; returns its argument. */
  track: <T extends { close(): Promise<unknown> }>(thing: T) => T;
  /** A fresh directory, removed after the test: `tempDir('tools')`. */
  tempDir: (label?: string) => string;
  /** The app's data dir: empty before launch, so a test can seed settings, and still there after `app.close()`. */
  dataDir: string;
  /** Starts the app on `dataDir` (unless the options name another). Close it early if the test needs to; it is closed once either way. */
  launch: (options?: LaunchOptions) => Promise<LaunchedApp>;
  /** The app started with default options. */
  app: LaunchedApp;
}

export const test = base.extend<AppFixtures>({
  track: async ({}, use) => {
    const started: { close(): Promise<unknown> }[] = [];
    await use((thing) => {
      started.push(thing);
      return thing;
    });
    for (const thing of started.reverse()) await thing.close();
  },
  tempDir: async ({ track }, use) => {
    await use((label = 'temp') => {
      const dir = mkdtempSync(join(tmpdir(), `switchboard-e2e-${label}-`));
      track({ close: async () => rmSync(dir, { recursive: true, force: true }) });
      return dir;
    });
  },
  dataDir: async ({ tempDir }, use) => {
    await use(tempDir('data'));
  },
  launch: async ({ dataDir }, use) => {
    const launched: LaunchedApp[] = [];
    await use(async (options = {}) => {
      const app = await launchApp({ dataDir, ...options });
      let closing: Promise<void> | undefined;
      const once: LaunchedApp = { ...app, close: () => (closing ??= app.close()) };
      launched.push(once);
      return once;
    });
    for (const app of launched.reverse()) await app.close();
  },
  app: async ({ launch }, use) => {
    await use(await launch());
  },
});

export { expect } from '@playwright/test';
