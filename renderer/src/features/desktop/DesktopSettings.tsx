import { useEffect, useId, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { api, errorMessage, type DesktopSettingsView, type NotificationSwitches } from '../../api';

// The desktop part of Settings: which OS notifications to send, launch at
// login, and the two troubleshooting actions (data folder, diagnostics).

const NOTIFICATIONS: { key: keyof NotificationSwitches; label: string }[] = [
  { key: 'serverCrashed', label: 'A server crashed and Switchboard stopped restarting it' },
  { key: 'signInNeeded', label: 'A server needs you to sign in again' },
  { key: 'toolsChanged', label: 'A server changed its tools' },
  { key: 'clientConfigChanged', label: "Another app's MCP settings changed" },
];

export function DesktopSettings() {
  const [view, setView] = useState<DesktopSettingsView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<'diagnostics' | 'folder' | 'save'>();
  const [saved, setSaved] = useState<string>();
  const id = useId();
  useEffect(() => {
    api.getDesktopSettings({}).then(setView, (e: unknown) => setError(`Could not load the desktop settings: ${errorMessage(e)}`));
  }, []);

  const change = async (patch: Parameters<typeof api.setDesktopSettings>[0]) => {
    const before = view;
    // Shown at once; the core's answer (what it stored, what the OS reports) replaces it.
    setView((v) => v && { ...v, notifications: { ...v.notifications, ...patch.notifications }, launchAtLogin: patch.launchAtLogin ?? v.launchAtLogin });
    setBusy('save');
    setError(undefined);
    try {
      setView(await api.setDesktopSettings(patch));
    } catch (e) {
      setView(before);
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  const showFolder = async () => {
    setBusy('folder');
    setError(undefined);
    try {
      const result = await api.showDataFolder({});
      if (!result.opened) setError(result.error ?? 'The data folder could not be opened.');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  const exportDiagnostics = async () => {
    setBusy('diagnostics');
    setError(undefined);
    setSaved(undefined);
    try {
      const result = await api.exportDiagnostics({});
      if (result.saved) setSaved(`Diagnostics saved to ${result.path} (${result.files.length} files, secrets and tokens removed).`);
    } catch (e) {
      setError(`Diagnostics could not be exported: ${errorMessage(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  if (!view) return error ? <ErrorNote message={error} /> : <p className="empty">Loading…</p>;
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Desktop</h3>
      <fieldset className="settings-group">
        <legend>Notifications</legend>
        <p className="hint" id={`${id}-notify-hint`}>
          {view.notificationsAvailable.supported
            ? 'Switchboard tells you through the system when something needs you. Repeats are held back for 10 minutes.'
            : view.notificationsAvailable.reason}
        </p>
        {NOTIFICATIONS.map(({ key, label }) => (
          <label key={key} className="inline-flag">
            <input
              type="checkbox"
              checked={view.notifications[key]}
              aria-describedby={`${id}-notify-hint`}
              onChange={(e) => void change({ notifications: { [key]: e.target.checked } })}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset className="settings-group">
        <legend>Startup</legend>
        <label className="inline-flag">
          <input
            type="checkbox"
            checked={view.launchAtLogin}
            disabled={!view.launchAtLoginAvailable.supported || busy === 'save'}
            aria-describedby={view.launchAtLoginAvailable.supported ? undefined : `${id}-login-hint`}
            onChange={(e) => void change({ launchAtLogin: e.target.checked })}
          />{' '}
          Open Switchboard when you log in
        </label>
        {!view.launchAtLoginAvailable.supported && (
          <p className="hint" id={`${id}-login-hint`}>
            {view.launchAtLoginAvailable.reason}
          </p>
        )}
      </fieldset>
      <fieldset className="settings-group">
        <legend>Troubleshooting</legend>
        <div className="actions">
          <button type="button" disabled={!view.dataFolderAvailable || busy !== undefined} onClick={() => void showFolder()}>
            Show data folder
          </button>
          <button type="button" disabled={!view.diagnosticsAvailable || busy !== undefined} onClick={() => void exportDiagnostics()}>
            {busy === 'diagnostics' ? 'Exporting diagnostics…' : 'Export diagnostics…'}
          </button>
        </div>
        <p className="hint">
          Diagnostics are a zip of the settings file, each server&apos;s log and version information, with secret values and tokens replaced by [redacted].
          Attach it to a bug report; the history of your tool calls is not included.
        </p>
        <p role="status" className={saved ? 'ok-note' : undefined}>
          {saved}
        </p>
      </fieldset>
      <ErrorNote message={error} />
    </section>
  );
}
