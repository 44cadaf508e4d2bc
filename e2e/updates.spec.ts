import { startUpdateServer } from '../test/fixtures/update-server/server';
import { scanBothThemes, summarize, type Finding } from './a11y';
import { expect, test } from './fixtures';

// Auto-update through the GUI, against the update-server fixture on 127.0.0.1
// and a real electron-updater updater (version 0.1.0): check → available →
// download with progress → downloaded and verified; a tampered artifact → the
// sha512 error, with Retry.

async function openUpdates(page: import('@playwright/test').Page) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('region', { name: 'Updates' });
}

test('check, see the release notes, download with progress, then restart and install is offered', async ({ launch, track }) => {
  const feed = track(
    await startUpdateServer({ latest: { version: '0.2.0', releaseNotes: 'Faster startup.\n<b>Not bold</b>' }, chunks: 10, chunkDelayMs: 300 }),
  );
  const { page } = await launch({ env: { SWITCHBOARD_E2E_UPDATE_FEED: feed.url } });
  const updates = await openUpdates(page);
  await expect(updates).toContainText('Switchboard 0.1.0');
  await updates.getByRole('button', { name: 'Check for updates' }).click();
  await expect(updates.getByRole('status')).toContainText('Switchboard 0.2.0 is available');
  await expect(updates.getByRole('region', { name: 'Release notes for 0.2.0' })).toHaveText('Faster startup.\nNot bold');
  expect(feed.requests.filter((p) => p.endsWith('.deb'))).toEqual([]); // nothing downloaded before consent
  const findings: Finding[] = [...(await scanBothThemes(page, 'settings: update available'))];

  await updates.getByRole('button', { name: 'Download 0.2.0' }).click();
  const bar = updates.getByRole('progressbar', { name: 'Downloading Switchboard 0.2.0' });
  await expect(bar).toBeVisible();
  // Focus went to the next step, not to <body>.
  await expect(updates.getByRole('button', { name: 'Cancel download' })).toBeFocused();
  await expect(updates).toContainText(/[1-9]\d?% of 0\.3 MB/);
  await expect(updates.getByRole('status')).toContainText('Switchboard 0.2.0 is downloaded and verified.');
  await expect(updates.getByRole('button', { name: 'Restart and install' })).toBeVisible();
  await expect(updates.getByRole('checkbox', { name: 'Install when Switchboard quits' })).toBeChecked();
  findings.push(...(await scanBothThemes(page, 'settings: update downloaded')));
  expect(findings, summarize(findings)).toEqual([]);
});

test('a tampered download is rejected with a clear error and Retry', async ({ launch, track }) => {
  const feed = track(await startUpdateServer({ latest: { version: '0.2.0' }, mode: 'tampered' }));
  const { page } = await launch({ env: { SWITCHBOARD_E2E_UPDATE_FEED: feed.url } });
  const updates = await openUpdates(page);
  await updates.getByRole('button', { name: 'Check for updates' }).click();
  await updates.getByRole('button', { name: 'Download 0.2.0' }).click();
  await expect(updates.getByRole('alert')).toContainText('does not match the checksum (sha512)');
  await expect(updates.getByRole('button', { name: 'Retry' })).toBeVisible();
  const findings = await scanBothThemes(page, 'settings: update error');
  expect(findings, summarize(findings)).toEqual([]);
  // The app keeps working: the server list is still there.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Back to servers' }).click();
  await expect(page.getByRole('button', { name: 'Add your first server' })).toBeVisible();
});
