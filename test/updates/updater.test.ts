import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { nodeUpdater } from '../helpers/update-engine';
import { startUpdateServer, type UpdateServerOptions } from '../fixtures/update-server/server';

// Auto-update end to end through the core's IPC surface, with a real
// electron-updater updater (generic provider, DigestTransform sha512 check,
// version comparison, cache, cancellation, install-on-quit handler) against the
// update-server fixture on 127.0.0.1. See test/helpers/update-engine.ts for the
// two seams a Node host supplies (AppAdapter, HttpExecutor).

const track = useCleanup();

async function setup(server: UpdateServerOptions, version = '0.1.0') {
  const feed = track(await startUpdateServer(server));
  const dir = track.tempDir('sb-update-');
  const node = nodeUpdater({ feedUrl: feed.url, version, dir });
  const t = track(startTestCore({ updateEngine: node.engine, updateAutoCheck: false }));
  return { feed, dir, node, t };
}

const waitState = (t: TestCore, state: UpdateStatus['update']['state'], timeoutMs?: number) =>
  t.waitForEvent('updateStatusChanged', (s) => s.update.state === state, timeoutMs);

/** The manifest name electron-updater asks for on this platform (latest.yml on Windows, latest-linux.yml, latest-mac.yml). */
const yml = (channel: 'latest' | 'beta') =>
  `/${channel}${process.platform === 'linux' ? `-linux${process.arch === 'x64' ? '' : `-${process.arch}`}` : process.platform === 'darwin' ? '-mac' : ''}.yml`;

const artifactFiles = (dir: string) => {
  const cache = join(dir, 'cache', 'switchboard-updater', 'pending');
  return existsSync(cache) ? readdirSync(cache).filter((f) => !f.startsWith('update-info')) : [];
};

describe('auto-update against a local update server', () => {
  it('checks without downloading, downloads only when asked, with progress, and verifies the sha512', async () => {
    const { feed, dir, node, t } = await setup({
      latest: { version: '0.2.0', releaseNotes: '<p>Faster <b>startup</b></p><script>alert(1)</script>' },
      chunks: 8,
      chunkDelayMs: 300,
    });
    const checked = await t.call('checkForUpdates', {});
    expect(checked.update).toMatchObject({ state: 'available', offer: { version: '0.2.0' } });
    if (checked.update.state !== 'available') throw new Error('unreachable');
    // Release notes are plain text: the tags are gone (the renderer shows text, never HTML).
    expect(checked.update.offer.releaseNotes).toBe('Faster startup\nalert(1)');
    // Consent: the check fetched the manifest only.
    expect(feed.requests).toEqual([yml('latest')]);
    expect(artifactFiles(dir)).toEqual([]);
    expect(node.updater.autoDownload).toBe(false);
    expect(node.updater.autoInstallOnAppQuit).toBe(false);

    const started = await t.call('downloadUpdate', {});
    expect(started.update.state).toBe('downloading');
    const progress = await t.waitForEvent(
      'updateStatusChanged',
      (s) => s.update.state === 'downloading' && s.update.progress.percent > 0 && s.update.progress.percent < 100,
    );
    if (progress.update.state !== 'downloading') throw new Error('unreachable');
    expect(progress.update.progress.total).toBe(256 * 1024);
    const done = await waitState(t, 'downloaded');
    expect(done.update).toMatchObject({ state: 'downloaded', offer: { version: '0.2.0' }, installOnQuit: true });
    expect(feed.requests).toContain('/Switchboard-0.2.0.deb');
    // The file electron-updater will install is the one the manifest's sha512 names.
    const file = node.updater.downloadedFile!;
    expect(createHash('sha512').update(readFileSync(file)).digest('base64')).toBe(feed.sha512('latest'));
  });

  it('a tampered artifact is rejected: an error, the file deleted, nothing installed on quit', async () => {
    const { dir, node, t } = await setup({ latest: { version: '0.2.0' }, mode: 'tampered' });
    await t.call('checkForUpdates', {});
    await t.call('downloadUpdate', {});
    const failed = await waitState(t, 'error');
    expect(failed.update).toMatchObject({ state: 'error', during: 'download', offer: { version: '0.2.0' } });
    if (failed.update.state !== 'error') throw new Error('unreachable');
    expect(failed.update.message).toMatch(/does not match the checksum \(sha512\).*nothing was installed/);
    expect(artifactFiles(dir)).toEqual([]);
    expect(node.updater.downloadedFile).toBeNull();
    node.app.emitQuit(0);
    expect(node.updater.installs).toEqual([]);
  });

  it('a downgrade is refused, also after switching channels (the channel setter would allow it)', async () => {
    const { feed, node, t } = await setup({ latest: { version: '0.0.9' }, beta: { version: '0.0.8-beta.1' } }, '0.1.0');
    const stable = await t.call('checkForUpdates', {});
    expect(stable.update).toMatchObject({ state: 'idle', latest: { version: '0.0.9', older: true } });
    await t.call('setUpdateSettings', { channel: 'beta' });
    const beta = await t.call('checkForUpdates', {});
    expect(beta.update).toMatchObject({ state: 'idle', latest: { version: '0.0.8-beta.1', older: true } });
    expect(node.updater.allowDowngrade).toBe(false);
    expect(feed.requests).toEqual([yml('latest'), yml('beta')]);
    await expect(t.call('downloadUpdate', {})).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(feed.requests.some((p) => p.endsWith('.deb'))).toBe(false);
  });

  it('the beta channel reads beta.yml and offers its newer prerelease', async () => {
    const { feed, t } = await setup({ latest: { version: '0.1.0' }, beta: { version: '0.2.0-beta.1' } });
    expect((await t.call('checkForUpdates', {})).update).toMatchObject({ state: 'idle', latest: { version: '0.1.0', older: false } });
    const status = await t.call('setUpdateSettings', { channel: 'beta' });
    expect(status.channel).toBe('beta');
    expect((await t.call('checkForUpdates', {})).update).toMatchObject({ state: 'available', offer: { version: '0.2.0-beta.1' } });
    expect(feed.requests).toEqual([yml('latest'), yml('beta')]);
  });

  it('a server that goes away mid-download: a clear error, the app keeps working, and Retry succeeds once it is back', async () => {
    const { feed, dir, node, t } = await setup({ latest: { version: '0.2.0' }, mode: 'drop' });
    await t.call('checkForUpdates', {});
    await t.call('downloadUpdate', {});
    const failed = await waitState(t, 'error');
    if (failed.update.state !== 'error') throw new Error(`expected an error, got ${failed.update.state}`);
    expect(failed.update.message).toMatch(/connection to the update server was lost during the download\. Nothing was installed\. Retry/);
    expect(artifactFiles(dir)).toEqual([]);
    // The app keeps working: other calls answer, and so does the updater.
    expect(await t.call('listServers', {})).toBeDefined();
    expect((await t.call('getUpdateStatus', {})).update.state).toBe('error');
    // While the server is still gone, Retry says so plainly.
    t.events.length = 0;
    await t.call('downloadUpdate', {});
    const unreachable = await waitState(t, 'error');
    expect(unreachable.update.state === 'error' && unreachable.update.message).toMatch(/could not reach the update server|connection .* lost/i);
    // The server is back: Retry downloads it.
    feed.set({ mode: 'ok' });
    await feed.restart();
    t.events.length = 0;
    await t.call('downloadUpdate', {});
    await waitState(t, 'downloaded');
    node.app.emitQuit(0);
    expect(node.updater.installs).toEqual([{ isSilent: true, isForceRunAfter: false }]);
  });

  it('cancel stops the download; the offer stays, and nothing is installed on quit', async () => {
    const { node, t } = await setup({ latest: { version: '0.2.0' }, chunks: 20, chunkDelayMs: 200 });
    await t.call('checkForUpdates', {});
    await t.call('downloadUpdate', {});
    const cancelled = await t.call('cancelUpdateDownload', {});
    expect(cancelled.update).toMatchObject({ state: 'available', offer: { version: '0.2.0' } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.call('getUpdateStatus', {})).update.state).toBe('available');
    node.app.emitQuit(0);
    expect(node.updater.installs).toEqual([]);
  });

  it('install on quit happens only as the user chose it', async () => {
    const { node, t } = await setup({ latest: { version: '0.2.0' } });
    await t.call('checkForUpdates', {});
    await t.call('downloadUpdate', {});
    await waitState(t, 'downloaded');
    const off = await t.call('installUpdate', { when: 'on-quit', enabled: false });
    expect(off.update).toMatchObject({ state: 'downloaded', installOnQuit: false });
    node.app.emitQuit(0);
    expect(node.updater.installs).toEqual([]);
  });

  it('Restart and install installs the verified download and quits, once', async () => {
    const { node, t } = await setup({ latest: { version: '0.2.0' } });
    await expect(t.call('installUpdate', { when: 'now' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await t.call('checkForUpdates', {});
    await expect(t.call('installUpdate', { when: 'now' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await t.call('downloadUpdate', {});
    await waitState(t, 'downloaded');
    await t.call('installUpdate', { when: 'now' });
    expect(node.updater.installs).toEqual([{ isSilent: false, isForceRunAfter: true }]);
    await new Promise((r) => setImmediate(r));
    expect(node.app.quits).toBe(1);
    // The quit that follows does not install a second time.
    node.app.emitQuit(0);
    expect(node.updater.installs).toHaveLength(1);
  });

  it('switched off: no request at all, and a downloaded update is no longer installed on quit', async () => {
    const { feed, node, t } = await setup({ latest: { version: '0.2.0' } });
    await t.call('checkForUpdates', {});
    await t.call('downloadUpdate', {});
    await waitState(t, 'downloaded');
    const off = await t.call('setUpdateSettings', { enabled: false });
    expect(off).toMatchObject({ enabled: false, update: { state: 'disabled' } });
    const before = feed.requests.length;
    await expect(t.call('checkForUpdates', {})).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/switched off/) });
    await expect(t.call('downloadUpdate', {})).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(feed.requests.length).toBe(before);
    node.app.emitQuit(0);
    expect(node.updater.installs).toEqual([]);
  });

  it('a program that edits the settings file cannot point the updater at another host', async () => {
    const { feed, t } = await setup({ latest: { version: '0.2.0' } });
    const other = track(await startUpdateServer({ latest: { version: '9.9.9' } }));
    // Forged: a feed URL (not a setting), and a channel that would resolve to another host.
    const store = createConfStore(t.dataDir);
    store.set('updates', {
      enabled: true,
      channel: `//127.0.0.1:${other.port}/x`,
      url: other.url,
      feedUrl: other.url,
      provider: { provider: 'generic', url: other.url },
    });
    const status = await t.call('checkForUpdates', {});
    expect(status.channel).toBe('stable');
    expect(status.update).toMatchObject({ state: 'available', offer: { version: '0.2.0' } });
    expect(other.requests).toEqual([]);
    expect(feed.requests).toEqual([yml('latest')]);
  });
});
