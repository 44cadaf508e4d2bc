import { useEffect, useState } from 'react';
import { api, errorMessage, type RegistryEntry, type RegistryInstallOption, type RegistryVariable } from '../../api';
import { Dialog } from '../../components/Dialog';
import { useServers } from '../servers';

// One registry entry: pick a version and a package or remote, answer its
// variables (secrets in password fields; the core keeps them in the vault),
// install. The core adds the server; a local one still asks for the launch
// approval, showing the exact command, when it is first connected.

type Plan = Awaited<ReturnType<typeof api.registryInstallPlan>>;

function VariableField({ v, value, onChange }: { v: RegistryVariable; value: string; onChange: (value: string) => void }) {
  const id = `registry-var-${v.key.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const label = `${v.kind === 'env' ? 'Environment variable' : v.kind === 'header' ? 'Header' : 'Argument'} ${v.name}${v.required ? ' (required)' : ''}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {v.choices ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={v.required}>
          {!v.required && <option value="">(default)</option>}
          {v.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={v.secret ? 'password' : 'text'}
          autoComplete="off"
          value={value}
          placeholder={v.default}
          required={v.required}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={v.description ? `${id}-hint` : undefined}
        />
      )}
      {v.description && (
        <p className="hint" id={`${id}-hint`}>
          {v.description}
          {v.secret ? ' (kept in the vault)' : ''}
        </p>
      )}
    </div>
  );
}

function Becomes({ option }: { option: RegistryInstallOption }) {
  const b = option.becomes;
  if (!b) return null;
  return (
    <p className="hint" data-testid="registry-becomes">
      {b.transport === 'stdio' ? (
        <>
          Runs <code>{[b.command, ...b.args].join(' ')}</code> (each part passed as-is, never through a shell)
        </>
      ) : (
        <>
          Connects to <code>{b.url}</code>
        </>
      )}
    </p>
  );
}

export function InstallForm({ entry, onBack, onClose }: { entry: RegistryEntry; onBack: () => void; onClose: () => void }) {
  const [versions, setVersions] = useState<string[]>([entry.version]);
  const [version, setVersion] = useState(entry.version);
  const [plan, setPlan] = useState<Plan>();
  const [option, setOption] = useState(0);
  const [values, setValues] = useState<Record<string, string>>({});
  const [serverName, setServerName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.registryVersions({ name: entry.name }).then(
      (r) => r.versions.length && setVersions(r.versions),
      () => undefined,
    );
  }, [entry.name]);

  useEffect(() => {
    setPlan(undefined);
    setError(undefined);
    api.registryInstallPlan({ name: entry.name, version }).then(
      (p) => {
        setPlan(p);
        const first = p.options.find((o) => !o.refused);
        setOption(first?.option ?? 0);
        setValues({});
      },
      (e) => setError(errorMessage(e)),
    );
  }, [entry.name, version]);

  const current = plan?.options[option];

  async function install() {
    if (!current) return;
    setBusy(true);
    setError(undefined);
    try {
      const answers = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
      const { server } = await api.installFromRegistry({
        name: entry.name,
        version,
        option,
        values: answers,
        ...(serverName.trim() ? { serverName: serverName.trim() } : {}),
      });
      useServers.setState((s) => ({
        servers: { ...s.servers, [server.id]: server },
        order: s.order.includes(server.id) ? s.order : [...s.order, server.id],
        selectedId: server.id,
      }));
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      // A bundle's settings are known once it is verified and unpacked: ask the plan again so they show.
      if (current.fileSha256) await api.registryInstallPlan({ name: entry.name, version }).then(setPlan, () => undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={`Install ${entry.title ?? entry.name}`}
      onClose={onClose}
      wide
      footer={
        <div className="dialog-actions">
          <button type="button" onClick={onBack}>
            Back
          </button>
          <button type="button" className="primary" disabled={busy || !current || Boolean(current.refused)} onClick={() => void install()}>
            {busy ? 'Installing…' : 'Install'}
          </button>
        </div>
      }
    >
      <p>{plan?.description ?? entry.description}</p>
      <div className="field">
        <label htmlFor="registry-version">Version</label>
        <select id="registry-version" value={version} onChange={(e) => setVersion(e.target.value)}>
          {versions.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      {!plan && !error && <p role="status">Reading the server description…</p>}
      {plan && plan.options.length === 0 && <p className="empty">This entry has no package or remote to install.</p>}
      {plan && plan.options.length > 0 && (
        <fieldset>
          <legend>Install as</legend>
          {plan.options.map((o) => (
            <div key={o.option}>
              <label className="inline">
                <input type="radio" name="registry-option" checked={o.option === option} disabled={Boolean(o.refused)} onChange={() => setOption(o.option)} />{' '}
                {o.label}
              </label>
              {o.refused && <p className="field-error">Not installable: {o.refused}</p>}
            </div>
          ))}
        </fieldset>
      )}
      {current && !current.refused && (
        <>
          <Becomes option={current} />
          {current.fileSha256 && (
            <p className="hint">
              The bundle is downloaded and checked against SHA-256 {current.fileSha256} before anything else happens. Its settings are known only then: if it
              needs any, Install lists them here to fill in.
            </p>
          )}
          {current.variables.map((v) => (
            <VariableField key={v.key} v={v} value={values[v.key] ?? ''} onChange={(value) => setValues((s) => ({ ...s, [v.key]: value }))} />
          ))}
          <div className="field">
            <label htmlFor="registry-server-name">Server name</label>
            <input
              id="registry-server-name"
              value={serverName}
              placeholder={entry.title ?? entry.name.split('/').pop()}
              onChange={(e) => setServerName(e.target.value)}
            />
          </div>
          {current.kind === 'package' && (
            <p className="hint">Installing adds the server; it runs only after you approve its exact command when you connect it.</p>
          )}
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
