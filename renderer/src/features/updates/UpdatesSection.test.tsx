import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateState, UpdateStatus } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { useUpdates } from './store';
import { UpdatesSection } from './UpdatesSection';

// Settings → Updates against the fake core: every state's next step, progress
// with its percent, release notes as text, errors with Retry, focus kept.

const offer = { version: '0.2.0', releaseNotes: '<img src=x onerror=alert(1)> Faster startup', releaseDate: '2026-11-30T12:00:00.000Z' };
const status = (update: UpdateState, extra: Partial<UpdateStatus> = {}): UpdateStatus => ({
  currentVersion: '0.1.0',
  enabled: true,
  channel: 'stable',
  update,
  ...extra,
});

beforeAll(() => useUpdates.getState().init());
beforeEach(() => {
  fakeApi.reset();
  useUpdates.setState(useUpdates.getInitialState(), true);
});

describe('UpdatesSection', () => {
  it('checks, offers the version with its notes as text, and downloads only on Download, with a progress bar', async () => {
    fakeApi.use({
      getUpdateStatus: () => status({ state: 'idle' }),
      checkForUpdates: () => status({ state: 'available', offer }),
      downloadUpdate: () => status({ state: 'downloading', offer, progress: { percent: 0, transferred: 0, total: 0, bytesPerSecond: 0 } }),
    });
    render(<UpdatesSection />);
    expect(await screen.findByText('0.1.0')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check for updates' }));
    const notes = await screen.findByRole('region', { name: 'Release notes for 0.2.0' });
    // Text, never HTML: the tag is shown as characters and no element was created.
    expect(notes.textContent).toBe(offer.releaseNotes);
    expect(notes.querySelector('img')).toBeNull();
    expect(notes.tabIndex).toBe(0);
    expect(fakeApi.requests('downloadUpdate')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Download 0.2.0' }));
    const bar = await screen.findByRole('progressbar', { name: 'Downloading Switchboard 0.2.0' });
    act(() =>
      fakeApi.emit(
        'updateStatusChanged',
        status({ state: 'downloading', offer, progress: { percent: 42.7, transferred: 1, total: 3 * 1024 * 1024, bytesPerSecond: 1 } }),
      ),
    );
    expect(bar.getAttribute('value')).toBe('42');
    expect(screen.getByText(/42% of 3\.0 MB/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel download' })).toBeTruthy();
  });

  it('downloaded: Restart and install, and install-on-quit can be unticked', async () => {
    fakeApi.use({
      getUpdateStatus: () => status({ state: 'downloaded', offer, installOnQuit: true }),
      installUpdate: (r) => status({ state: 'downloaded', offer, installOnQuit: r.when === 'on-quit' ? r.enabled : true }),
    });
    render(<UpdatesSection />);
    const onQuit = (await screen.findByRole('checkbox', { name: 'Install when Switchboard quits' })) as HTMLInputElement;
    expect(onQuit.checked).toBe(true);
    fireEvent.click(onQuit);
    await waitFor(() => expect(fakeApi.requests('installUpdate').at(-1)).toEqual({ when: 'on-quit', enabled: false }));
    fireEvent.click(screen.getByRole('button', { name: 'Restart and install' }));
    await waitFor(() => expect(fakeApi.requests('installUpdate').at(-1)).toEqual({ when: 'now' }));
  });

  it('an error is shown with Retry, which downloads the same offer again', async () => {
    const message = 'The downloaded update does not match the checksum (sha512) published in the update manifest, so it was deleted and nothing was installed.';
    fakeApi.use({
      getUpdateStatus: () => status({ state: 'error', during: 'download', message, offer }),
      downloadUpdate: () => status({ state: 'downloading', offer, progress: { percent: 0, transferred: 0, total: 0, bytesPerSecond: 0 } }),
    });
    render(<UpdatesSection />);
    expect((await screen.findByRole('alert')).textContent).toContain('sha512');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fakeApi.requests('downloadUpdate')).toHaveLength(1));
  });

  it('the off switch and the channel are settings; off says no request is made', async () => {
    let current = status({ state: 'idle' });
    fakeApi.use({
      getUpdateStatus: () => current,
      setUpdateSettings: (r) =>
        (current = status(r.enabled === false ? { state: 'disabled' } : { state: 'idle' }, {
          enabled: r.enabled ?? current.enabled,
          channel: r.channel ?? current.channel,
        })),
    });
    render(<UpdatesSection />);
    fireEvent.change(await screen.findByRole('combobox', { name: /Channel/ }), { target: { value: 'beta' } });
    await waitFor(() => expect(fakeApi.requests('setUpdateSettings').at(-1)).toEqual({ channel: 'beta' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Look for updates' }));
    expect(await screen.findByText(/Switchboard sends no update requests/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Check for updates' })).toBeNull();
  });

  it('a downgrade on offer is explained, never offered', async () => {
    fakeApi.use({ getUpdateStatus: () => status({ state: 'idle', checkedAt: 0, latest: { version: '0.0.9', older: true } }) });
    render(<UpdatesSection />);
    expect((await screen.findByRole('status')).textContent).toMatch(/offers 0\.0\.9, which is older; Switchboard never installs an older version/);
    expect(screen.queryByRole('button', { name: /Download/ })).toBeNull();
  });

  it('focus moves to the next step when the pressed button goes away', async () => {
    fakeApi.use({
      getUpdateStatus: () => status({ state: 'available', offer }),
      downloadUpdate: () => status({ state: 'downloading', offer, progress: { percent: 0, transferred: 0, total: 0, bytesPerSecond: 0 } }),
    });
    render(<UpdatesSection />);
    const download = await screen.findByRole('button', { name: 'Download 0.2.0' });
    download.focus();
    fireEvent.click(download);
    const cancel = await screen.findByRole('button', { name: 'Cancel download' });
    await waitFor(() => expect(document.activeElement).toBe(cancel));
  });
});
