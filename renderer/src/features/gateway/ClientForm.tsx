import { useId, useState } from 'react';
import type { GatewayServerAccess, ServerView } from '../../api';

// Which servers one gateway client may reach, and which of their tools.

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function AccessEditor({
  servers,
  value,
  onChange,
}: {
  servers: ServerView[];
  value: GatewayServerAccess[];
  onChange: (next: GatewayServerAccess[]) => void;
}) {
  if (servers.length === 0) return <p className="hint">No servers yet. Add a server first; then give clients access to it here.</p>;
  const byId = new Map(value.map((a) => [a.serverId, a]));
  const put = (serverId: string, patch: Partial<GatewayServerAccess> | null) => {
    const rest = value.filter((a) => a.serverId !== serverId);
    if (patch === null) return onChange(rest);
    const current = byId.get(serverId) ?? { serverId, allow: [], deny: [], hideDestructive: false };
    onChange([...rest, { ...current, ...patch }]);
  };
  return (
    <fieldset className="gateway-access">
      <legend>Servers this client may use</legend>
      {servers.map((s) => {
        const access = byId.get(s.id);
        return (
          <div key={s.id} className="gateway-access-server">
            <label className="field-check">
              <input type="checkbox" checked={Boolean(access)} onChange={(e) => put(s.id, e.target.checked ? {} : null)} /> {s.name}
            </label>
            {access && (
              <div className="gateway-filters">
                <ListField
                  label={`Only these tools of ${s.name}`}
                  hint="comma-separated; empty: all"
                  value={access.allow}
                  onChange={(allow) => put(s.id, { allow })}
                />
                <ListField label={`Never these tools of ${s.name}`} hint="comma-separated" value={access.deny} onChange={(deny) => put(s.id, { deny })} />
                <label className="field-check">
                  <input type="checkbox" checked={access.hideDestructive} onChange={(e) => put(s.id, { hideDestructive: e.target.checked })} /> Hide tools
                  marked destructive
                </label>
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function ListField({ label, hint, value, onChange }: { label: string; hint: string; value: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(value.join(', '));
  return (
    <label className="field">
      <span>
        {label} <span className="hint">({hint})</span>
      </span>
      <input type="text" aria-label={label} value={text} onChange={(e) => setText(e.target.value)} onBlur={() => onChange(list(text))} />
    </label>
  );
}

export function NewClientForm({
  servers,
  busy,
  onCreate,
}: {
  servers: ServerView[];
  busy: boolean;
  onCreate: (name: string, access: GatewayServerAccess[], combined: boolean) => Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [access, setAccess] = useState<GatewayServerAccess[]>([]);
  const [combined, setCombined] = useState(false);
  const [key, setKey] = useState(0);
  return (
    <form
      className="gateway-new"
      aria-label="New gateway client"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onCreate(name.trim(), access, combined)) {
          setName('');
          setAccess([]);
          setCombined(false);
          setKey((k) => k + 1);
        }
      }}
    >
      <h3>Add a client</h3>
      <label className="field">
        <span>Client name</span>
        <input
          type="text"
          aria-label="Client name"
          placeholder="Claude Code, Cursor on work laptop…"
          value={name}
          maxLength={100}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <AccessEditor key={key} servers={servers} value={access} onChange={setAccess} />
      <CombinedSwitch checked={combined} onChange={setCombined} />
      <button type="submit" className="primary" disabled={busy || !name.trim() || access.length === 0}>
        Create client and show its token
      </button>
    </form>
  );
}

/** "One combined endpoint": the client's servers behind one URL, their tools named <server>__<tool>. */
export function CombinedSwitch({ checked, disabled, onChange }: { checked: boolean; disabled?: boolean; onChange: (on: boolean) => void }) {
  const hint = useId();
  return (
    <div className="gateway-combined-switch">
      <label className="field-check">
        <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint} /> One combined
        endpoint
      </label>
      <p className="hint" id={hint}>
        All of this client’s servers behind one address, <code>/mcp</code>, with each tool and prompt named <code>server__tool</code>. For clients that limit
        how many servers they take. Each server’s own address keeps working.
      </p>
    </div>
  );
}
