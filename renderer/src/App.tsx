import { useEffect, useState } from 'react';
import { api, type AppInfo } from './api';
import { ApprovalDialog, ServerDetail, ServerDialog, ServerList, useServers } from './features/servers';
import { ConsentDialog, useAuth } from './features/auth';
import { ClientRequests, useClientFeatures } from './features/client-features';
import { ClientConfigChanges } from './features/client-configs';
import { GatewayView, useGateway } from './features/gateway';
import { HistoryView, useHistory } from './features/history';
import { InstallLinkRefusal, useInstallLinks } from './features/install-links';
import { usePrompts } from './features/prompts';
import { useResources } from './features/resources';
import { useTools } from './features/tools';
import { useTraffic } from './features/traffic';
import { UpdatesSection, useUpdates } from './features/updates';

/** Each feature's event subscriptions (once; every init is idempotent). */
function initFeatures(): void {
  for (const store of [useTools, useResources, usePrompts, useClientFeatures, useHistory, useTraffic, useInstallLinks, useGateway, useUpdates])
    store.getState().init();
}

export function App() {
  const { init, loaded, loadError, invalid, servers, selectedId, approval, addPrefill, closeAddServer } = useServers();
  const [adding, setAdding] = useState(false);
  const [appInfo, setAppInfo] = useState<AppInfo>();
  const [insecureOptIn, setInsecureOptIn] = useState(false);
  const initAuth = useAuth((s) => s.init);
  const signingIn = useAuth((s) => Boolean(s.signIn));
  useEffect(() => {
    initAuth();
    initFeatures();
    void init();
    api.getAppInfo({}).then(
      (info) => {
        setAppInfo(info);
        setInsecureOptIn(info.secretStorage.allowInsecurePersistence);
      },
      () => undefined,
    );
  }, [init, initAuth]);
  const selected = selectedId ? servers[selectedId] : undefined;
  const [view, setView] = useState<'servers' | 'history' | 'gateway' | 'settings'>('servers');
  useEffect(() => setView('servers'), [selectedId]);
  // A background check found an update: say so once, quietly; Settings has the rest.
  const updateOffer = useUpdates((s) => (s.status?.update.state === 'available' ? s.status.update.offer.version : undefined));
  return (
    <div className="app">
      <div className="sidebar">
        <ServerList onAdd={() => setAdding(true)} />
        <nav className="view-switch" aria-label="Views">
          <button type="button" aria-pressed={view === 'history'} onClick={() => setView(view === 'history' ? 'servers' : 'history')}>
            {view === 'history' ? 'Back to servers' : 'History of all calls'}
          </button>
          <button type="button" aria-pressed={view === 'gateway'} onClick={() => setView(view === 'gateway' ? 'servers' : 'gateway')}>
            {view === 'gateway' ? 'Back to servers' : 'Gateway for other apps'}
          </button>
          <button type="button" aria-pressed={view === 'settings'} onClick={() => setView(view === 'settings' ? 'servers' : 'settings')}>
            {view === 'settings' ? 'Back to servers' : 'Settings'}
          </button>
        </nav>
      </div>
      <main className="main">
        {appInfo && !appInfo.secretStorage.secure && (
          <div className="banner warning" role="alert">
            No secure credential storage is available on this system (the system reports {appInfo.secretStorage.backend}, but its key is not protected).
            Sign-ins, secrets and launch approvals are kept in memory for this session only.{' '}
            <label className="inline-flag">
              <input
                type="checkbox"
                checked={insecureOptIn}
                onChange={(e) => {
                  const wanted = e.target.checked;
                  setInsecureOptIn(wanted);
                  api.setSecretStoragePreference({ allowInsecureSecretStorage: wanted }).then(
                    (r) => setInsecureOptIn(r.allowInsecureSecretStorage),
                    () => setInsecureOptIn(!wanted),
                  );
                }}
              />{' '}
              Keep them on disk anyway (weakly protected)
            </label>
          </div>
        )}
        <ClientConfigChanges />
        {appInfo?.notices.map((notice) => (
          <div key={notice} className="banner warning" role="alert">
            {notice}
          </div>
        ))}
        {invalid.length > 0 && (
          <div className="banner warning" role="alert">
            {invalid.length === 1 ? 'One server entry' : `${invalid.length} server entries`} in the settings file could not be read and{' '}
            {invalid.length === 1 ? 'is' : 'are'} not shown (left in the file untouched):{' '}
            {invalid.map((entry) => `#${entry.index + 1}${entry.name ? ` (${entry.name})` : ''}: ${entry.reason}`).join('; ')}
          </div>
        )}
        {updateOffer && view !== 'settings' && (
          <div className="banner" role="status">
            Switchboard {updateOffer} is available.{' '}
            <button type="button" className="small" onClick={() => setView('settings')}>
              Review update
            </button>
          </div>
        )}
        <InstallLinkRefusal />
        {loadError && (
          <div className="banner error" role="alert">
            Could not load servers: {loadError}
          </div>
        )}
        {view === 'history' ? (
          <HistoryView />
        ) : view === 'gateway' ? (
          <GatewayView />
        ) : view === 'settings' ? (
          <section className="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">Settings</h2>
            <UpdatesSection />
          </section>
        ) : selected ? (
          <ServerDetail key={selected.id} server={selected} />
        ) : loaded ? (
          <div className="welcome">
            <h2>Welcome to Switchboard</h2>
            <p>Manage your MCP servers in one place: run local servers safely, sign in to remote ones, and see every call.</p>
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              Add your first server
            </button>
          </div>
        ) : (
          <p className="empty">Loading…</p>
        )}
      </main>
      {adding && !addPrefill && <ServerDialog onClose={() => setAdding(false)} />}
      {addPrefill && <ServerDialog key={addPrefill.key} prefill={addPrefill} onClose={closeAddServer} />}
      {approval && <ApprovalDialog request={approval} />}
      {signingIn && <ConsentDialog />}
      <ClientRequests />
    </div>
  );
}
