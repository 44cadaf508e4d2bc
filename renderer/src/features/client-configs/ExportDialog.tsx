import { useEffect, useState } from 'react';
import { api, errorMessage, type ExportTarget, type ResponseOf } from '../../api';
import { Dialog } from '../../components/Dialog';
import { downloadBlob } from '../../components/download';
import { useServers } from '../servers';
import { CLIENT_LABEL } from './labels';
import { ProjectFolders } from './ProjectFolders';

// "Export to…": pick a client's file and servers, read the diff the core
// computed (secret-looking values masked), confirm plaintext per value where
// the client cannot refer to a secret, then write (the core backs up first and
// refuses if the file changed since this preview).
// With `gateway`: the servers are written as that gateway client reaches them
// (its endpoint and token; the bridge for Claude Desktop), from the Gateway view
// right after the token was made, while the core still holds it.

type Preview = ResponseOf<'previewClientExport'>;

export interface GatewayExport {
  clientId: string;
  clientName: string;
  serverIds: string[];
  /** The client has one combined endpoint: one entry, "Switchboard", is written for all its servers. */
  combined?: boolean;
}

export function ExportDialog({ preselected, gateway, onClose }: { preselected?: string[]; gateway?: GatewayExport; onClose: () => void }) {
  const { servers, order: allServers, selectedId } = useServers();
  const order = gateway ? allServers.filter((id) => gateway.serverIds.includes(id)) : allServers;
  const [targets, setTargets] = useState<ExportTarget[]>();
  const [path, setPath] = useState('');
  const [chosen, setChosen] = useState<string[]>(gateway ? order : (preselected ?? (selectedId ? [selectedId] : order)));
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ path: string; backup?: string; written: string[] }>();
  const [busy, setBusy] = useState(false);
  const [folders, setFolders] = useState<string[]>([]);
  const gatewayClientId = gateway?.clientId;

  useEffect(() => {
    api.scanClientConfigs({ projectFolders: folders }).then(
      (r) => {
        setTargets(r.targets);
        setPath((p) => (r.targets.some((t) => t.path === p) ? p : ((r.targets.find((t) => t.exists) ?? r.targets[0])?.path ?? '')));
      },
      (e) => setError(errorMessage(e)),
    );
  }, [folders]);

  useEffect(() => {
    setPreview(undefined);
    if (!path || chosen.length === 0) return;
    let live = true;
    api.previewClientExport({ path, projectFolders: folders, serverIds: chosen, plaintextConfirmed: confirmed, gatewayClientId }).then(
      (p) => live && (setPreview(p), setError(undefined)),
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [path, chosen, confirmed, folders, gatewayClientId]);

  /** Switchboard's own mcpServers file: secrets as ${NAME}, their values never leave the core. */
  async function saveOwn() {
    try {
      const { text } = await api.exportSwitchboardServers({ serverIds: chosen });
      downloadBlob(text, 'switchboard-mcp.json', 'application/json');
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function write() {
    if (!preview) return;
    setBusy(true);
    try {
      setDone(
        await api.writeClientExport({
          path,
          projectFolders: folders,
          serverIds: chosen,
          plaintextConfirmed: confirmed,
          expectedHash: preview.expectedHash,
          gatewayClientId,
        }),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (done)
    return (
      <Dialog title="Export written" onClose={onClose}>
        <p role="status">
          Wrote {done.written.join(', ')} to <code>{done.path}</code>.
        </p>
        <p>
          {done.backup ? (
            <>
              The previous file was saved as <code>{done.backup}</code>.
            </>
          ) : (
            'The file was created.'
          )}
        </p>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <Dialog title={gateway ? `Write ${gateway.clientName} into another app’s config` : 'Export servers to another app'} onClose={onClose} wide>
      {gateway?.combined && (
        <p className="hint">
          {gateway.clientName} has one combined endpoint: one entry, “Switchboard”, is written for all its servers (an HTTP entry with its token in the
          Authorization header, or, for Claude Desktop, Switchboard’s own program as a bridge with the token in its “env” block).
        </p>
      )}
      {gateway && !gateway.combined && (
        <p className="hint">
          Each server is written as {gateway.clientName} reaches it through the gateway: an HTTP entry with its token in the Authorization header, or, for
          Claude Desktop, Switchboard’s own program as a bridge with the token in its “env” block (never in its arguments).
        </p>
      )}
      <ProjectFolders folders={folders} onChange={setFolders} />
      <div className="field">
        <label>
          Client config file
          <select value={path} onChange={(e) => setPath(e.target.value)} disabled={!targets}>
            {(targets ?? []).map((t) => (
              <option key={t.path} value={t.path}>
                {CLIENT_LABEL[t.client]} ({t.scope}) — {t.path}
                {t.exists ? '' : ' (new file)'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset hidden={gateway?.combined}>
        <legend>Servers</legend>
        {order.map((id) => (
          <label className="inline" key={id}>
            <input type="checkbox" checked={chosen.includes(id)} onChange={(e) => setChosen((c) => toggle(c, id, e.target.checked))} /> {servers[id]?.name}
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {preview && (
        <>
          {preview.refused.map((r, i) => (
            <p key={i} className="field-error">
              Not written: {r.name}: {r.reason}
            </p>
          ))}
          {preview.needsPlaintext.length > 0 && (
            <fieldset>
              <legend>This client cannot refer to a secret: write these in plaintext?</legend>
              {preview.needsPlaintext.map((n) => (
                <label className="inline" key={n.key}>
                  <input type="checkbox" checked={confirmed.includes(n.key)} onChange={(e) => setConfirmed((c) => toggle(c, n.key, e.target.checked))} />{' '}
                  {n.server}: {n.note}
                </label>
              ))}
            </fieldset>
          )}
          {preview.warnings.map((w, i) => (
            <p key={i} className="note">
              {w.name}: {w.reason}
            </p>
          ))}
          {preview.indirections.map((x, i) => (
            <p key={i} className="hint">
              {x.server}: {x.name} is written as <code>{x.placeholder}</code>. {x.note}
              {gateway && ' Its value is the token shown in the Gateway view.'}
            </p>
          ))}
          <pre className="diff-text" aria-label={`Changes to ${preview.path}`} tabIndex={0}>
            {preview.diff.map((d) => `${d.op} ${String(d.line).padStart(4)} ${d.text}`).join('\n') || 'No changes.'}
          </pre>
        </>
      )}
      <div className="dialog-actions">
        {!gateway && (
          <button type="button" onClick={() => void saveOwn()} disabled={chosen.length === 0}>
            Save as Switchboard file…
          </button>
        )}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy || !preview || preview.written.length === 0} onClick={() => void write()}>
          Write {preview?.written.length ?? 0} to file
        </button>
      </div>
    </Dialog>
  );
}
