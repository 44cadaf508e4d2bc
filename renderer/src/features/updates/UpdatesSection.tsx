import { useEffect, useRef } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import type { UpdateOffer, UpdateState } from '../../api';
import { useUpdates } from './store';

// Settings → Updates: the version, the off switch, the channel, and the one
// next step for the current state. Nothing downloads until Download, and the
// download installs on quit (untickable) or at once with Restart and install.

export function UpdatesSection() {
  const { status, error, busy, init, load, setEnabled, setChannel } = useUpdates();
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    init();
    void load();
  }, [init, load]);
  const state = status?.update.state;
  // A button that vanishes with its state must not drop focus to <body>: the new state's first action takes it.
  useEffect(() => {
    if (!section.current || document.activeElement !== document.body) return;
    section.current.querySelector<HTMLElement>('[data-primary]')?.focus();
  }, [state]);
  return (
    <section ref={section} className="updates" aria-labelledby="updates-heading">
      <h3 id="updates-heading">Updates</h3>
      {!status ? (
        <p className="empty">{error ?? 'Loading…'}</p>
      ) : (
        <>
          <p className="note">
            Switchboard <strong>{status.currentVersion}</strong>
          </p>
          <div className="updates-settings">
            <label className="inline-flag">
              <input type="checkbox" checked={status.enabled} disabled={busy} onChange={(e) => void setEnabled(e.target.checked)} /> Look for updates
            </label>
            <label>
              Channel{' '}
              <select
                value={status.channel}
                disabled={busy || !status.enabled}
                onChange={(e) => void setChannel(e.target.value === 'beta' ? 'beta' : 'stable')}
              >
                <option value="stable">Stable</option>
                <option value="beta">Beta (earlier, less tested)</option>
              </select>
            </label>
          </div>
          <ErrorNote message={error} />
          <StateView update={status.update} busy={busy} />
        </>
      )}
    </section>
  );
}

function StateView({ update, busy }: { update: UpdateState; busy: boolean }) {
  const { check, download, cancel, installNow, installOnQuit } = useUpdates();
  switch (update.state) {
    case 'disabled':
      return <p className="hint">Updates are off: Switchboard sends no update requests. Tick “Look for updates” to turn them back on.</p>;
    case 'unsupported':
      return <p className="hint">{update.reason}</p>;
    case 'checking':
      return (
        <p className="hint" role="status">
          Checking for updates…
        </p>
      );
    case 'idle':
      return (
        <div className="updates-state">
          {update.latest && (
            <p className="note" role="status">
              {update.latest.older
                ? `You have the newest version. The server offers ${update.latest.version}, which is older; Switchboard never installs an older version.`
                : `Switchboard ${update.latest.version} is the newest version.`}
            </p>
          )}
          {update.checkedAt !== undefined && <p className="hint">Last checked {new Date(update.checkedAt).toLocaleString()}.</p>}
          <button type="button" data-primary disabled={busy} onClick={() => void check()}>
            Check for updates
          </button>
        </div>
      );
    case 'available':
      return (
        <div className="updates-state">
          <Offer offer={update.offer} />
          <p className="hint">
            Nothing is downloaded until you choose Download. Once downloaded, it installs when you quit Switchboard, or now if you restart.
          </p>
          <div className="actions">
            <button type="button" className="primary" data-primary disabled={busy} onClick={() => void download()}>
              Download {update.offer.version}
            </button>
            <button type="button" disabled={busy} onClick={() => void check()}>
              Check again
            </button>
          </div>
        </div>
      );
    case 'downloading': {
      const percent = Math.floor(update.progress.percent);
      return (
        <div className="updates-state">
          <p className="note">Downloading Switchboard {update.offer.version}…</p>
          <div className="progress">
            <progress max={100} value={percent} aria-label={`Downloading Switchboard ${update.offer.version}`} />
            <span aria-live="polite">
              {percent}%{update.progress.total > 0 && ` of ${megabytes(update.progress.total)}`}
            </span>
          </div>
          <button type="button" data-primary onClick={() => void cancel()}>
            Cancel download
          </button>
        </div>
      );
    }
    case 'downloaded':
      return (
        <div className="updates-state">
          <p className="note" role="status">
            Switchboard {update.offer.version} is downloaded and verified.
          </p>
          <div className="actions">
            <button type="button" className="primary" data-primary disabled={busy} onClick={() => void installNow()}>
              Restart and install
            </button>
            <label className="inline-flag">
              <input type="checkbox" checked={update.installOnQuit} disabled={busy} onChange={(e) => void installOnQuit(e.target.checked)} /> Install when
              Switchboard quits
            </label>
          </div>
        </div>
      );
    case 'error':
      return (
        <div className="updates-state">
          <ErrorNote message={update.message} />
          <button
            type="button"
            data-primary
            disabled={busy}
            onClick={() => void (update.during === 'download' && update.offer ? download() : update.during === 'install' ? installNow() : check())}
          >
            Retry
          </button>
        </div>
      );
  }
}

function Offer({ offer }: { offer: UpdateOffer }) {
  return (
    <>
      <p className="note" role="status">
        Switchboard <strong>{offer.version}</strong> is available{offer.releaseDate ? ` (released ${offer.releaseDate.slice(0, 10)})` : ''}.
      </p>
      {offer.releaseNotes && (
        // Plain text from the core, shown as text; scrollable with the keyboard.
        <div className="release-notes" role="region" aria-label={`Release notes for ${offer.version}`} tabIndex={0}>
          {offer.releaseNotes}
        </div>
      )}
    </>
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
