import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateChannel } from '../../../shared/contract';
import { createConfStore } from '../node-ports/conf-store';
import type { EngineCheck, UpdateEngine } from './engine';
import { UpdateService } from './update-service';

// The policy on its own, with a scripted engine (the real electron-updater runs
// in test/updates/updater.test.ts): what it does with what an engine says.

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function scripted(answer: (channel: UpdateChannel) => Promise<EngineCheck>) {
  const calls = { checks: [] as UpdateChannel[], downloads: 0 };
  const engine: UpdateEngine = {
    currentVersion: '0.1.0',
    unsupportedReason: () => undefined,
    check: (channel) => (calls.checks.push(channel), answer(channel)),
    download: async () => void calls.downloads++,
    cancelDownload: () => undefined,
    setInstallOnQuit: () => undefined,
    installNow: () => undefined,
  };
  return { engine, calls };
}

function service(engine: UpdateEngine | undefined, autoCheck: false | { firstAfterMs: number; everyMs: number } = false) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-updates-'));
  dirs.push(dir);
  return new UpdateService({ store: createConfStore(dir), engine, emit: () => undefined, now: () => 1, appVersion: '0.1.0', autoCheck });
}

describe('UpdateService', () => {
  it('never offers a version that is not newer, whatever the engine says', async () => {
    const { engine } = scripted(async () => ({ available: true, version: '0.0.9' }));
    expect((await service(engine).check()).update).toEqual({ state: 'idle', checkedAt: 1, latest: { version: '0.0.9', older: true } });
  });

  it('a check that answers after the channel changed answers to nobody', async () => {
    let release!: (c: EngineCheck) => void;
    const { engine } = scripted(() => new Promise((r) => (release = r)));
    const s = service(engine);
    const pending = s.check();
    s.setSettings({ channel: 'beta' });
    release({ available: true, version: '0.2.0' });
    await pending;
    expect(s.status()).toMatchObject({ channel: 'beta', update: { state: 'idle' } });
  });

  it('background checks check, and never download', async () => {
    const { engine, calls } = scripted(async () => ({ available: true, version: '0.2.0' }));
    const s = service(engine, { firstAfterMs: 10, everyMs: 60_000 });
    s.start();
    await new Promise((r) => setTimeout(r, 100));
    s.close();
    expect(calls.checks).toEqual(['stable']);
    expect(calls.downloads).toBe(0);
    expect(s.status().update).toMatchObject({ state: 'available', offer: { version: '0.2.0' } });
  });

  it('switched off, background checks stop too', async () => {
    const { engine, calls } = scripted(async () => ({ available: true, version: '0.2.0' }));
    const s = service(engine, { firstAfterMs: 10, everyMs: 10 });
    s.setSettings({ enabled: false });
    s.start();
    await new Promise((r) => setTimeout(r, 80));
    s.close();
    expect(calls.checks).toEqual([]);
  });

  it('without an engine the build says it cannot update itself, and refuses to check', async () => {
    const s = service(undefined);
    expect(s.status().update).toMatchObject({ state: 'unsupported', reason: expect.stringMatching(/cannot update itself/) });
    expect(() => s.check()).toThrow(/cannot update itself/);
  });
});
