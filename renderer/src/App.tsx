import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type AppInfo } from './api';
import { useNavigation } from './components/navigation';
import { CommandPalette, ShortcutHelp, shortcutLabel, useGlobalShortcuts, usePalette, type CommandSource } from './components/palette';
import { ApprovalDialog, ServerDetail, ServerDialog, ServerList, serverCommands, UndoRemoveToast, useServers } from './features/servers';
import { authCommands, ConsentDialog, useAuth } from './features/auth';
import { ClientRequests, useClientFeatures } from './features/client-features';
import { ClientConfigChanges, clientConfigCommands } from './features/client-configs';
import { GatewayView, gatewayCommands, useGateway } from './features/gateway';
import { HistoryView, historyCommands, useHistory } from './features/history';
import { InstallLinkRefusal, useInstallLinks } from './features/install-links';
import { usePrompts } from './features/prompts';
import { registryCommands } from './features/registry';
import { useResources } from './features/resources';
import { toolCommands, useTools } from './features/tools';
import { trafficCommands, useTraffic } from './features/traffic';
import { useDesktopNavigation } from './features/desktop';
import { useUpdates } from './features/updates';
import { SettingsView } from './SettingsView';

/** Each feature's event subscriptions (once; every init is idempotent). */
function initFeatures(): void {
  for (const store of [useTools, useResources, usePrompts, useClientFeatures, useHistory, useTraffic, useInstallLinks, useGateway, useUpdates])
    store.getState().init();
}

/** The shell's own commands: the views and the shortcut sheet. */
const shellCommands: CommandSource = () => [
  { id: 'shell.servers', title: 'Go to servers', group: 'View', run: () => useNavigation.getState().showView('servers') },
  { id: 'shell.shortcuts', title: 'Keyboard shortcuts', group: 'Help', keywords: 'keys help', shortcut: '?', run: () => usePalette.getState().show('help') },
];

/** Every feature's commands, in the order the palette lists them before the user types. */
const COMMAND_SOURCES: readonly CommandSource[] = [
  serverCommands,
  toolCommands,
  historyCommands,
  trafficCommands,
  gatewayCommands,
  authCommands,
  clientConfigCommands,
  registryCommands,
  shellCommands,
];

export function App() {
  const { init, loaded, loadError, invalid, servers, selectedId, approval, addPrefill, addOpen, showAddServer, closeAddServer, select } = useServers();
  useGlobalShortcuts({ onAddServer: showAddServer });
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
  const { view, showView: setView } = useNavigation();
  // What the palette's sources read: a server connecting or its tools arriving refreshes an open palette.
  const paletteRevision = useServers((s) => s.tools);
  const paletteServers = useServers((s) => s.servers);
  const paletteInputs = useMemo(() => [paletteRevision, paletteServers], [paletteRevision, paletteServers]);
  useEffect(() => setView('servers'), [selectedId, setView]);
  // A notification or tray click in the main process: show what it was about.
  useDesktopNavigation(
    useCallback(
      (target) => {
        if (target.view === 'server') select(target.serverId);
        setView(target.view === 'settings' ? 'settings' : 'servers');
      },
      [select, setView],
    ),
  );
  // A background check found an update: say so once, quietly; Settings has the rest.
  const updateOffer = useUpdates((s) => (s.status?.update.state === 'available' ? s.status.update.offer.version : undefined));
  return (
    <div className="app">
      <div className="sidebar">
        <ServerList onAdd={showAddServer} />
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
        <div className="keyboard-hints">
          <button type="button" onClick={() => usePalette.getState().show('palette')}>
            Commands <kbd>{shortcutLabel('Mod+K')}</kbd>
          </button>
          <button type="button" onClick={() => usePalette.getState().show('help')}>
            Shortcuts <kbd>?</kbd>
          </button>
        </div>
      </div>
      <main className="main" tabIndex={-1}>
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
          <SettingsView />
        ) : selected ? (
          <ServerDetail key={selected.id} server={selected} />
        ) : loaded ? (
          <div className="welcome">
            <h2>Welcome to Switchboard</h2>
            <p>Manage your MCP servers in one place: run local servers safely, sign in to remote ones, and see every call.</p>
            <button type="button" className="primary" onClick={showAddServer}>
              Add your first server
            </button>
          </div>
        ) : (
          <p className="empty">Loading…</p>
        )}
      </main>
      {addOpen && !addPrefill && <ServerDialog onClose={closeAddServer} />}
      {addPrefill && <ServerDialog key={addPrefill.key} prefill={addPrefill} onClose={closeAddServer} />}
      {approval && <ApprovalDialog request={approval} />}
      {signingIn && <ConsentDialog />}
      <ClientRequests />
      <UndoRemoveToast />
      <CommandPalette sources={COMMAND_SOURCES} revision={paletteInputs} />
      <ShortcutHelp />
    </div>
  );
}
