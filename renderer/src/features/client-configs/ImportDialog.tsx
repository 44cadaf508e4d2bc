import { useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage, type CandidateValue, type ConfigFileView, type ImportCandidateView, type ServerView } from '../../api';
import { Dialog } from '../../components/Dialog';
import { CLIENT_LABEL } from './labels';
import { ProjectFolders } from './ProjectFolders';

// "Import from…": every client config found, each server with what it becomes.
// Values the core judged secret never reach here; the user only decides whether
// each value is kept in the vault, and types the ones the file could not resolve.
// Input answers and typed values go straight to the core, which stores secrets in the vault.

type Key = string; // `${path}\n${server name}`
const keyOf = (file: ConfigFileView, c: ImportCandidateView): Key => `${file.path}\n${c.name}`;

interface Choice {
  on: boolean;
  /** Another selected server has the same name. */
  clash: boolean;
  rename: string;
  secrets: Record<string, boolean>;
  values: Record<string, string>;
}

const valuesOf = (c: ImportCandidateView): { field: 'env' | 'headers'; v: CandidateValue }[] =>
  !c.becomes
    ? []
    : c.becomes.transport === 'stdio'
      ? c.becomes.env.map((v) => ({ field: 'env' as const, v }))
      : c.becomes.headers.map((v) => ({ field: 'headers' as const, v }));

/** The pseudo path of a pasted config (never sent to the core as a path). */
const PASTED = '(pasted)';
const SHAPE_LABEL = { mcpServers: 'Claude Desktop / Cursor "mcpServers"', vscode: 'VS Code "servers"', single: 'a single server', unknown: 'unrecognised' };

/** A config pasted into Add server, read like a client's file: the same preview, then the same import. */
export function PastedImportDialog({ text, onClose, onAdded }: { text: string; onClose: () => void; onAdded: (servers: ServerView[]) => void }) {
  return <ImportDialog onClose={onClose} pasted={text} onAdded={onAdded} />;
}

/**
 * `focus`: only that file, with only the named servers preselected (a change the watcher reported).
 * `pasted`: a config pasted into Add server instead of the files on disk; `onAdded` then takes over when every chosen server was added.
 */
export function ImportDialog({
  onClose,
  focus,
  onImported,
  pasted,
  onAdded,
}: {
  onClose: () => void;
  focus?: { path: string; servers: string[] };
  onImported?: () => void;
  pasted?: string;
  onAdded?: (servers: ServerView[]) => void;
}) {
  const [scan, setScan] = useState<{ home?: string; files: ConfigFileView[] }>();
  const [error, setError] = useState<string>();
  const [choices, setChoices] = useState<Record<Key, Choice>>({});
  /** Answers per file path, then input id: asked once per file. */
  const [answers, setAnswers] = useState<Record<string, Record<string, string>>>({});
  const [busy, setBusy] = useState(false);
  const [folders, setFolders] = useState<string[]>([]);
  const [summary, setSummary] = useState<{ added: string[]; failed: { name: string; error: string }[] }>();

  // A rescan (a project folder added) keeps what the user already chose.
  const choicesRef = useRef(choices);
  choicesRef.current = choices;

  // Fixed for the dialog's life: a parent re-render must not rescan.
  const [focused] = useState(focus);

  const [shape, setShape] = useState<keyof typeof SHAPE_LABEL>();
  const [text] = useState(pasted);

  useEffect(() => {
    const read =
      text === undefined
        ? api.scanClientConfigs({ projectFolders: folders })
        : api.previewPastedConfig({ text }).then((view) => {
            setShape(view.shape);
            const file: ConfigFileView = { client: 'claude-desktop', scope: 'user', format: 'claude-desktop', path: PASTED, ...view };
            return { files: [file] };
          });
    read.then(
      (all) => {
        const r = focused ? { ...all, files: all.files.filter((f) => f.path === focused.path) } : all;
        setScan(r);
        const init: Record<Key, Choice> = {};
        // Two files may name a server the same: the later one gets a suggested new name.
        const names = new Set<string>();
        for (const f of r.files)
          for (const c of f.candidates) {
            const on = !c.skipped && !c.duplicateOf && (Boolean(c.becomes) || c.needsInputs.length > 0) && (!focused || focused.servers.includes(c.name));
            const clash = on && names.has(c.name.toLowerCase());
            if (on) names.add(c.name.toLowerCase());
            const k = keyOf(f, c);
            init[k] = choicesRef.current[k] ?? { on, clash, rename: c.nameTaken || clash ? `${c.name}-${f.client}` : '', secrets: {}, values: {} };
          }
        setChoices(init);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [folders, focused, text]);

  const selected = useMemo(
    () => (scan?.files ?? []).flatMap((f) => f.candidates.filter((c) => choices[keyOf(f, c)]?.on).map((c) => ({ f, c }))),
    [scan, choices],
  );
  const update = (k: Key, patch: Partial<Choice>) => setChoices((s) => ({ ...s, [k]: { ...s[k]!, ...patch } }));

  async function doImport() {
    setBusy(true);
    setError(undefined);
    try {
      const selections = selected.map(({ f, c }) => {
        const ch = choices[keyOf(f, c)]!;
        return {
          path: f.path,
          name: c.name,
          ...(ch.rename.trim() ? { rename: ch.rename.trim() } : {}),
          secrets: ch.secrets,
          values: ch.values,
          inputs: answers[f.path] ?? {},
        };
      });
      const { results } =
        text === undefined
          ? await api.importServers({ projectFolders: folders, selections })
          : await api.importPastedConfig({ text, selections: selections.map(({ path: _path, ...rest }) => rest) });
      const added = results.flatMap((r) => (r.server ? [r.server] : []));
      if (onAdded && added.length > 0 && added.length === results.length) {
        onAdded(added);
        return;
      }
      setSummary({
        added: results.filter((r) => r.server).map((r) => r.server!.name),
        failed: results.filter((r) => r.error).map((r) => ({ name: r.name, error: r.error! })),
      });
      if (results.some((r) => r.server)) onImported?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (summary) {
    const n = summary.added.length;
    return (
      <Dialog title="Import finished" onClose={onClose}>
        <p role="status">
          {n} {n === 1 ? 'server' : 'servers'} imported{n ? '; approve each local server before it starts.' : '.'}
        </p>
        {summary.failed.length > 0 && (
          <ul aria-label="Not imported">
            {summary.failed.map((f, i) => (
              <li key={i} className="field-error">
                {f.name}: {f.error}
              </li>
            ))}
          </ul>
        )}
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={text === undefined ? 'Import servers from other apps' : 'Import a pasted config'} onClose={onClose} wide>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {text === undefined && <ProjectFolders folders={folders} onChange={setFolders} />}
      {!scan && !error && <p role="status">{text === undefined ? 'Looking for client configs…' : 'Reading the pasted config…'}</p>}
      {scan && scan.files.length === 0 && (
        <p className="empty">
          No client configs found in {scan.home ?? 'your home folder'}. Switchboard looks for Claude Desktop, Claude Code, Cursor, VS Code and Windsurf configs
          in their usual places.
        </p>
      )}
      {scan?.files.map((f) => (
        <section key={f.path} aria-label={f.path === PASTED ? 'Pasted config' : `${CLIENT_LABEL[f.client]} ${f.scope} config`} className="client-config">
          {f.path === PASTED ? (
            <h3>
              Pasted config <span className="hint">({shape ? SHAPE_LABEL[shape] : ''})</span>
            </h3>
          ) : (
            <>
              <h3>
                {CLIENT_LABEL[f.client]} <span className="hint">({f.scope})</span>
              </h3>
              <p className="hint">
                <code>{f.path}</code>
              </p>
            </>
          )}
          {f.unreadable && <p className="field-error">Cannot read this file: {f.unreadable}</p>}
          {f.problems.map((p, i) => (
            <p key={i} className={p.severity === 'error' ? 'field-error' : 'note'}>
              {p.line ? `Line ${p.line}${p.column ? `, column ${p.column}` : ''}: ` : ''}
              {p.reason}
            </p>
          ))}
          {f.inputs.length > 0 && (
            <fieldset>
              <legend>Values this file asks for (asked once, used wherever they appear)</legend>
              {f.inputs.map((input) => (
                <div className="field" key={input.id}>
                  <label>
                    {input.description || input.id} <span className="hint">({input.id})</span>
                    <input
                      type={input.password ? 'password' : 'text'}
                      autoComplete="off"
                      value={answers[f.path]?.[input.id] ?? ''}
                      placeholder={input.default}
                      onChange={(e) => setAnswers((s) => ({ ...s, [f.path]: { ...s[f.path], [input.id]: e.target.value } }))}
                    />
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          {f.candidates.length === 0 && !f.unreadable && <p className="hint">No servers in this file.</p>}
          <ul className="plain">
            {f.candidates.map((c) => {
              const k = keyOf(f, c);
              const ch = choices[k];
              if (!ch) return null;
              const importable = Boolean(c.becomes) || c.needsInputs.length > 0;
              return (
                <li key={k} className="candidate">
                  <label className="inline">
                    <input
                      type="checkbox"
                      checked={ch.on}
                      disabled={!importable}
                      onChange={(e) => update(k, { on: e.target.checked })}
                      aria-label={f.path === PASTED ? `Import ${c.name}` : `Import ${c.name} from ${CLIENT_LABEL[f.client]}`}
                    />{' '}
                    <strong>{c.name}</strong>
                    {c.line ? <span className="hint"> (line {c.line})</span> : null}
                  </label>
                  {c.becomes?.transport === 'stdio' && (
                    <p className="hint">
                      Local command: <code>{[c.becomes.command, ...c.becomes.args].join(' ')}</code>
                      {c.becomes.cwd ? ` in ${c.becomes.cwd}` : ''}
                    </p>
                  )}
                  {c.becomes?.transport === 'http' && (
                    <p className="hint">
                      Remote: <code>{c.becomes.url}</code>
                    </p>
                  )}
                  {c.needsInputs.length > 0 && <p className="note">Needs {c.needsInputs.map((id) => `"${id}"`).join(', ')} (above).</p>}
                  {c.skipped && <p className="note">Skipped: {c.skipped}</p>}
                  {c.duplicateOf && <p className="note">Already in Switchboard as “{c.duplicateOf.name}”.</p>}
                  {c.problems.map((p, i) => (
                    <p key={i} className={p.severity === 'error' ? 'field-error' : 'note'}>
                      {p.line ? `Line ${p.line}: ` : ''}
                      {p.reason}
                    </p>
                  ))}
                  {ch.on && (c.nameTaken || ch.clash) && (
                    <div className="field">
                      <label>
                        Another server is named {c.name}; import as
                        <input value={ch.rename} onChange={(e) => update(k, { rename: e.target.value })} />
                      </label>
                    </div>
                  )}
                  {ch.on &&
                    valuesOf(c).map(({ field, v }) => {
                      const vk = `${field}:${v.name}`;
                      const secret = ch.secrets[vk] ?? v.secret;
                      const what = field === 'env' ? 'variable' : 'header';
                      return (
                        <div className="kv-row" key={vk}>
                          <code>{v.name}</code>
                          {v.needsValue ? (
                            <input
                              type="password"
                              autoComplete="off"
                              aria-label={`Value of ${what} ${v.name} for ${c.name}`}
                              value={ch.values[vk] ?? ''}
                              onChange={(e) => update(k, { values: { ...ch.values, [vk]: e.target.value } })}
                            />
                          ) : (
                            <span>{v.value !== undefined && !secret ? <code>{v.value}</code> : <em>hidden</em>}</span>
                          )}
                          <label className="inline">
                            <input
                              type="checkbox"
                              checked={secret}
                              aria-label={`Keep ${what} ${v.name} of ${c.name} in the vault`}
                              onChange={(e) => update(k, { secrets: { ...ch.secrets, [vk]: e.target.checked } })}
                            />{' '}
                            secret
                          </label>
                        </div>
                      );
                    })}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy || selected.length === 0} onClick={() => void doImport()}>
          {busy ? 'Importing…' : `Import ${selected.length} ${selected.length === 1 ? 'server' : 'servers'}`}
        </button>
      </div>
    </Dialog>
  );
}
