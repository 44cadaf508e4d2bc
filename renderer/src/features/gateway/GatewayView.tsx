import { useEffect, useMemo, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import type { GatewayClientView, GatewayView as Gateway, ServerView } from '../../api';
import { ExportDialog } from '../client-configs';
import { useServers } from '../servers';
import { AccessEditor, CombinedSwitch, NewClientForm } from './ClientForm';
import { CombinedEndpoint, combinedUrl } from './CombinedEndpoint';
import { useGateway, type ShownToken } from './store';

// The local gateway: on/off and its address, the clients with their tokens
// (shown once), who is connected, each client's last call, failed attempts.

export function GatewayView() {
  const { gateway, error, busy, shown, init, load, setEnabled, create } = useGateway();
  const order = useServers((s) => s.order);
  const byId = useServers((s) => s.servers);
  const servers = useMemo(() => order.map((id) => byId[id]).filter((v): v is ServerView => Boolean(v)), [order, byId]);
  useEffect(() => {
    init();
    void load();
  }, [init, load]);
  if (!gateway) return <p className="empty">{error ?? 'Loading…'}</p>;
  return (
    <section className="gateway" aria-label="Gateway">
      <h2>Gateway</h2>
      <p className="hint">
        Let other MCP clients on this computer (Claude Code, Cursor, VS Code…) use the servers Switchboard runs and signs in to. Each client gets its own token
        and sees only the servers and tools you allow; every call is in History under its name.
      </p>
      <Switch gateway={gateway} busy={busy} onChange={setEnabled} />
      <ErrorNote message={error} />
      {shown && <TokenPanel shown={shown} gateway={gateway} servers={servers} />}
      <h3>Clients</h3>
      {gateway.clients.length === 0 ? (
        <p className="empty">No clients yet. Add one below, then paste its token or config into that client.</p>
      ) : (
        <ul className="gateway-clients" aria-label="Gateway clients">
          {gateway.clients.map((c) => (
            <ClientRow key={c.id} client={c} servers={servers} />
          ))}
        </ul>
      )}
      <NewClientForm servers={servers} busy={busy} onCreate={create} />
      <h3>Failed sign-in attempts</h3>
      {gateway.failedAttempts.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <ul className="gateway-failures" aria-label="Failed attempts">
          {gateway.failedAttempts.map((f, i) => (
            <li key={`${f.at}-${i}`}>
              {new Date(f.at).toLocaleString()} · {f.remote} · {f.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Switch({ gateway, busy, onChange }: { gateway: Gateway; busy: boolean; onChange: (enabled: boolean, port?: number | null) => Promise<void> }) {
  const [port, setPort] = useState(gateway.port ? String(gateway.port) : '');
  const portValue = port.trim() ? Number(port) : null;
  return (
    <div className="gateway-switch">
      <label className="field-check">
        <input type="checkbox" checked={gateway.enabled} disabled={busy} onChange={(e) => void onChange(e.target.checked, portValue)} /> Gateway on
      </label>
      <label className="field inline">
        <span>Port</span>
        <input type="text" inputMode="numeric" aria-label="Gateway port" placeholder="any free port" value={port} onChange={(e) => setPort(e.target.value)} />
      </label>
      {gateway.enabled && (
        <button type="button" disabled={busy} onClick={() => void onChange(true, portValue)}>
          Apply port
        </button>
      )}
      <p role="status" aria-label="Gateway status">
        {gateway.running ? (
          <>
            Listening on <code data-testid="gateway-address">{gateway.address}</code> (this computer only)
          </>
        ) : gateway.enabled ? (
          'Not running.'
        ) : (
          'Off. Nothing listens until you turn it on.'
        )}
      </p>
      {gateway.error && (
        <div className="banner error" role="alert">
          {gateway.error}
        </div>
      )}
    </div>
  );
}

/** The config other clients (Claude Code, Cursor) read: one HTTP entry per server (or one for the combined endpoint), with the token header. */
export function clientConfig(gateway: Gateway, servers: ServerView[], client: GatewayClientView | undefined, token: string): string {
  const headers = { Authorization: `Bearer ${token}` };
  if (client?.combined) return JSON.stringify({ mcpServers: { Switchboard: { type: 'http', url: combinedUrl(gateway), headers } } }, null, 2);
  const entries = Object.fromEntries(
    (client?.servers ?? []).map((a) => [
      servers.find((s) => s.id === a.serverId)?.name ?? a.serverId,
      { type: 'http', url: `${gateway.address ?? 'http://127.0.0.1:<port>'}/s/${a.serverId}/mcp`, headers: { Authorization: `Bearer ${token}` } },
    ]),
  );
  return JSON.stringify({ mcpServers: entries }, null, 2);
}

function TokenPanel({ shown, gateway, servers }: { shown: ShownToken; gateway: Gateway; servers: ServerView[] }) {
  const dismiss = useGateway((s) => s.dismissToken);
  const [copied, setCopied] = useState<string>();
  const [writing, setWriting] = useState(false);
  const client = gateway.clients.find((c) => c.id === shown.clientId);
  const config = clientConfig(gateway, servers, client, shown.token);
  const copy = (what: string, text: string) =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(what),
      () => setCopied('failed'),
    );
  return (
    <div className="gateway-token" role="region" aria-label={`Token for ${shown.clientName}`}>
      <p>
        <strong>Token for {shown.clientName}.</strong> Copy it now: it is shown only this once (Switchboard keeps only a hash).
      </p>
      <code className="token" data-testid="gateway-token">
        {shown.token}
      </code>
      <pre className="block-json" aria-label="Client config" data-testid="gateway-config">
        {config}
      </pre>
      <div className="actions">
        <button type="button" onClick={() => void copy('token', shown.token)}>
          Copy token
        </button>
        <button type="button" onClick={() => void copy('config', config)}>
          Copy config
        </button>
        <button type="button" disabled={!client || client.servers.length === 0} onClick={() => setWriting(true)}>
          Write to a client’s config…
        </button>
        <button type="button" className="primary" onClick={dismiss}>
          Done
        </button>
        <span role="status">{copied === 'failed' ? 'Could not copy: select the text instead.' : copied ? `Copied the ${copied}.` : ''}</span>
      </div>
      <p className="hint">
        Switchboard can write this client’s entries into Claude Desktop, Claude Code, Cursor, VS Code or Windsurf for 15 minutes; after that, rotate the token
        to write them again.
      </p>
      {writing && client && (
        <ExportDialog
          gateway={{ clientId: client.id, clientName: client.name, serverIds: client.servers.map((s) => s.serverId), combined: Boolean(client.combined) }}
          onClose={() => setWriting(false)}
        />
      )}
    </div>
  );
}

function ClientRow({ client, servers }: { client: GatewayClientView; servers: ServerView[] }) {
  const { busy, rename, rotate, revoke, setAccess, setCombined } = useGateway();
  const gateway = useGateway((s) => s.gateway);
  const [name, setName] = useState(client.name);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const serverNames = client.servers.map((a) => servers.find((s) => s.id === a.serverId)?.name ?? a.serverId).join(', ') || 'no servers';
  return (
    <li className="gateway-client" aria-label={client.name}>
      <div className="gateway-client-head">
        <strong>{client.name}</strong>
        <span className="hint">
          {' '}
          · {serverNames} · {client.connections > 0 ? `connected (${client.connections} open)` : 'not connected'}
          {client.sessions > 0 && ` · ${client.sessions} ${client.sessions === 1 ? 'session' : 'sessions'}`}
          {client.waiting > 0 && ` · ${client.waiting} ${client.waiting === 1 ? 'call waits' : 'calls wait'} for its answer to a server's question`}
          {client.lastCall && ` · last call ${client.lastCall.tool} (${client.lastCall.status}) ${new Date(client.lastCall.at).toLocaleTimeString()}`}
        </span>
        {client.tokenMissing && <span className="hint"> · its token could not be read from secure storage: rotate it</span>}
      </div>
      <div className="actions">
        <label className="field inline">
          <span className="visually-hidden">Name of {client.name}</span>
          <input type="text" aria-label={`Name of ${client.name}`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" disabled={busy || !name.trim() || name.trim() === client.name} onClick={() => void rename(client.id, name.trim())}>
          Rename
        </button>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Close access' : 'Edit access'}
        </button>
        <button type="button" disabled={busy} onClick={() => void rotate(client.id)}>
          Rotate token
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" disabled={busy} onClick={() => void revoke(client.id)}>
              Revoke {client.name} now
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
      </div>
      {client.combined && gateway && <CombinedEndpoint gateway={gateway} client={client} servers={servers} />}
      {editing && (
        <>
          <AccessEditor servers={servers} value={client.servers} onChange={(next) => void setAccess(client.id, next)} />
          <CombinedSwitch checked={Boolean(client.combined)} disabled={busy} onChange={(on) => void setCombined(client.id, on)} />
        </>
      )}
    </li>
  );
}
