import { describe, expect, it } from 'vitest';
import { useCleanup } from '../../test/helpers/cleanup';
import { nodeUpdater } from '../../test/helpers/update-engine';
import { startUpdateServer } from '../../test/fixtures/update-server/server';
import { createAppUpdateEngine } from './updater';

// The app's updater setup, with a Node-hosted electron-updater updater standing
// in for the platform autoUpdater (whose Electron app adapter cannot load here).

const track = useCleanup();

describe('createAppUpdateEngine', () => {
  it('a development build and a snap say why they do not update', () => {
    const { updater } = nodeUpdater({ feedUrl: 'http://127.0.0.1:9/', version: '0.1.0', dir: track.tempDir() });
    expect(createAppUpdateEngine({ app: { isPackaged: false }, env: {}, updater }).unsupportedReason()).toMatch(/development build/);
    expect(createAppUpdateEngine({ app: { isPackaged: true }, env: { SNAP: '/snap/x' }, updater }).unsupportedReason()).toMatch(/Snap Store/);
    expect(createAppUpdateEngine({ app: { isPackaged: true }, env: {}, updater }).unsupportedReason()).toBeUndefined();
  });

  it('the e2e feed knob takes only a feed on 127.0.0.1; anything else keeps app-update.yml', async () => {
    const feed = track(await startUpdateServer({ latest: { version: '0.2.0' } }));
    const other = track(await startUpdateServer({ latest: { version: '0.3.0' } }));
    const a = nodeUpdater({ feedUrl: feed.url, version: '0.1.0', dir: track.tempDir() });
    const engine = createAppUpdateEngine({ app: { isPackaged: true }, env: {}, updater: a.updater, e2eFeed: `http://localhost:${other.port}/` });
    expect(await engine.check('stable')).toMatchObject({ available: true, version: '0.2.0' });
    expect(other.requests).toEqual([]);
    const b = nodeUpdater({ feedUrl: feed.url, version: '0.1.0', dir: track.tempDir() });
    const pointed = createAppUpdateEngine({ app: { isPackaged: false }, env: {}, updater: b.updater, e2eFeed: other.url });
    expect(pointed.unsupportedReason()).toBeUndefined();
    expect(await pointed.check('stable')).toMatchObject({ available: true, version: '0.3.0' });
  });
});
