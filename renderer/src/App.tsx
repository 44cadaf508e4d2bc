import { useEffect, useState } from 'react';
import { api, type AppInfo } from './api';
import { ApprovalDialog } from './features/servers/ApprovalDialog';
import { ServerDetail } from './features/servers/ServerDetail';
import { ServerDialog } from './features/servers/ServerDialog';
import { ServerList } from './features/servers/ServerList';
import { useServers } from './features/servers/store';

export function App() {
  const { init, loaded, loadError, servers, selectedId, approval } = useServers();
  const [adding, setAdding] = useState(false);
  const [appInfo, setAppInfo] = useState<AppInfo>();
  useEffect(() => {
    void init();
    api.getAppInfo({}).then(setAppInfo, () => undefined);
  }, [init]);
  const selected = selectedId ? servers[selectedId] : undefined;
  return (
    <div className="app">
      <ServerList onAdd={() => setAdding(true)} />
      <main className="main">
        {appInfo && !appInfo.secretStorage.secure && (
          <div className="banner warning" role="alert">
            No secure credential storage is available on this system ({appInfo.secretStorage.backend}). Sign-ins and secrets are kept in memory for this session only.
          </div>
        )}
        {loadError && (
          <div className="banner error" role="alert">
            Could not load servers: {loadError}
          </div>
        )}
        {selected ? (
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
      {adding && <ServerDialog onClose={() => setAdding(false)} />}
      {approval && <ApprovalDialog request={approval} />}
    </div>
  );
}
