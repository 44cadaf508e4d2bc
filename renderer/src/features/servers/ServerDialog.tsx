import { useRef, useState, type ClipboardEvent, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { Dialog } from '../../components/Dialog';
import { focusFirstInvalid } from '../../components/focus';
import { IpcError, type ProtocolSetting, type ServerInput, type ServerView } from '../../api';
import { Field, type FieldErrors } from './fields';
import { OAuthClientSection, initialOAuthForm, oauthClientInput, type OAuthForm } from './OAuthClientSection';
import { focusServerItem } from './ServerList';
import { useServers, type AddServerPrefill } from './store';
import { ArgsHelp, CommandHelp, looksLikeJson } from './CommandHelp';
import { isOneLineCommand, splitCommandLine, suggestName, type SplitCommand } from './command-line';
import { normalizeServerUrl } from './server-url';
import { PastedImportDialog } from '../client-configs';

// Add / edit a server. Arguments are one per line and become an argv array:
// nothing is ever joined into a shell string. Secret values are write-only:
// an existing secret shows as "stored" and is kept unless replaced.

interface KV {
  name: string;
  value: string;
  secret: boolean;
  /** An existing secret whose value we do not know. */
  stored: boolean;
}

function KeyValueRows({
  rows,
  onChange,
  errors,
  prefix,
  noun,
}: {
  rows: KV[];
  onChange: (rows: KV[]) => void;
  errors: FieldErrors;
  prefix: string;
  noun: string;
}) {
  const update = (i: number, patch: Partial<KV>) => onChange(rows.map((r, j) => (i === j ? { ...r, ...patch } : r)));
  return (
    <fieldset className="kv">
      <legend>{noun === 'variable' ? 'Environment variables' : 'Headers'}</legend>
      {rows.map((row, i) => (
        <div className="kv-row" key={i}>
          <input
            aria-label={`${noun} ${i + 1} name`}
            placeholder="NAME"
            value={row.name}
            aria-invalid={Boolean(errors[`${prefix}.${i}.name`])}
            onChange={(e) => update(i, { name: e.target.value })}
          />
          <input
            aria-label={`${noun} ${i + 1} value`}
            type={row.secret ? 'password' : 'text'}
            placeholder={row.stored ? 'stored securely (type to replace)' : 'value'}
            value={row.value}
            aria-invalid={Boolean(errors[`${prefix}.${i}.value`])}
            onChange={(e) => update(i, { value: e.target.value, stored: false })}
          />
          <label className="inline">
            <input type="checkbox" checked={row.secret} onChange={(e) => update(i, { secret: e.target.checked, stored: false })} /> Secret
          </label>
          <button type="button" className="icon" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </button>
          {(errors[`${prefix}.${i}.name`] || errors[`${prefix}.${i}.value`]) && (
            <p className="field-error">{errors[`${prefix}.${i}.name`] ?? errors[`${prefix}.${i}.value`]}</p>
          )}
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { name: '', value: '', secret: false, stored: false }])}>
        Add {noun}
      </button>
    </fieldset>
  );
}

const PROTOCOL_HINTS: Record<ProtocolSetting, string> = {
  auto: 'Asks the server with server/discover, and falls back to the 2025 initialize handshake for servers that do not answer it.',
  modern: 'Speaks MCP 2026-07-28 only; connecting to a 2025-era server fails.',
  legacy: 'Uses the 2025 initialize handshake only; connecting to a 2026-07-28-only server fails.',
};

const toRows = (entries: { name: string; value?: string; secret: boolean; hasValue: boolean }[]): KV[] =>
  entries.map((e) => ({ name: e.name, value: e.value ?? '', secret: e.secret, stored: e.secret && e.hasValue }));
const fromRows = (rows: KV[]) =>
  rows.filter((r) => r.name.trim()).map((r) => ({ name: r.name.trim(), secret: r.secret, ...(r.secret && r.stored ? {} : { value: r.value }) }));

// A prefill's values are new: a secret one has no stored value (the user types it).
const prefillRows = (entries: { name: string; value?: string; secret: boolean }[]): KV[] =>
  entries.map((e) => ({ name: e.name, value: e.value ?? '', secret: e.secret, stored: false }));

export function ServerDialog({ existing, prefill, onClose }: { existing?: ServerView; prefill?: AddServerPrefill; onClose: () => void }) {
  const { addAndConnect, update, adopt, connect } = useServers();
  const filled = existing ? undefined : prefill?.server;
  const [kind, setKind] = useState<'stdio' | 'http'>(existing?.config.transport ?? filled?.transport ?? 'stdio');
  const stdio = existing?.config.transport === 'stdio' ? existing.config : undefined;
  const http = existing?.config.transport === 'http' ? existing.config : undefined;
  const filledStdio = filled?.transport === 'stdio' ? filled : undefined;
  const filledHttp = filled?.transport === 'http' ? filled : undefined;
  const [name, setName] = useState(existing?.name ?? filled?.name ?? '');
  const [command, setCommand] = useState(stdio?.command ?? filledStdio?.command ?? '');
  const [args, setArgs] = useState((stdio?.args ?? filledStdio?.args ?? []).join('\n'));
  const [cwd, setCwd] = useState(stdio?.cwd ?? filledStdio?.cwd ?? '');
  const [env, setEnv] = useState<KV[]>(filledStdio ? prefillRows(filledStdio.env) : toRows(stdio?.env ?? []));
  const [url, setUrl] = useState(http?.url ?? filledHttp?.url ?? '');
  const [mode, setMode] = useState(http?.mode ?? filledHttp?.mode ?? 'auto');
  const [headers, setHeaders] = useState<KV[]>(filledHttp ? prefillRows(filledHttp.headers) : toRows(http?.headers ?? []));
  const [oauth, setOAuth] = useState<OAuthForm>(() => initialOAuthForm(http?.oauthClient));
  const [omitResource, setOmitResource] = useState(http?.omitResourceParameter ?? false);
  const [clientMetadataUrl, setClientMetadataUrl] = useState(http?.clientMetadataUrl ?? '');
  const [protocol, setProtocol] = useState<ProtocolSetting>(existing?.config.protocol ?? 'auto');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const [splitNote, setSplitNote] = useState<string>();
  const [pasted, setPasted] = useState<string>();
  const [urlNote, setUrlNote] = useState<string>();
  const argList = args.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);

  // A one-line command becomes program + arguments (+ leading NAME=value variables), shown in the fields before saving.
  const applySplit = (split: SplitCommand) => {
    setCommand(split.command);
    setArgs(split.args.join('\n'));
    if (split.env.length) setEnv((rows) => [...rows, ...split.env.map((e) => ({ name: e.name, value: e.value, secret: false, stored: false }))]);
    if (!name.trim()) setName(suggestName(split.command, split.args));
    setSplitNote(
      `Split into the program ${split.command} and ${split.args.length} ${split.args.length === 1 ? 'argument' : 'arguments'}` +
        `${split.env.length ? ` and ${split.env.length} environment ${split.env.length === 1 ? 'variable' : 'variables'}` : ''}: check them below.`,
    );
  };

  // Pasting a whole command line or a JSON config is the usual first move: handle it at once.
  const onCommandPaste = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text/plain');
    const field = event.currentTarget;
    const replacing = !command || (field.selectionStart === 0 && field.selectionEnd === command.length);
    if (existing || !replacing) return;
    if (looksLikeJson(text)) {
      event.preventDefault();
      setCommand(text);
      setPasted(text);
      return;
    }
    if (!isOneLineCommand(text)) return;
    const split = splitCommandLine(text);
    if (!split.ok) return; // left in the field, where the help says what is wrong
    event.preventDefault();
    applySplit(split.value);
  };

  const normalizeUrl = () => {
    const { url: next, added } = normalizeServerUrl(url);
    if (!added) return url.trim();
    setUrl(next);
    setUrlNote(
      added === 'http'
        ? `Added http:// for a server on this machine: ${next}`
        : `Added https:// (plain http is only allowed for servers on this machine): ${next}`,
    );
    return next;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'stdio' && !existing && looksLikeJson(command)) {
      setPasted(command);
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(undefined);
    const config: ServerInput =
      kind === 'stdio'
        ? {
            transport: 'stdio',
            name,
            command,
            args: argList,
            cwd: cwd.trim() || undefined,
            env: fromRows(env),
            enabled,
            protocol,
            // The dialog has no field for it: an edit keeps what is stored (set by hand or by an import).
            connectTimeoutSec: stdio?.connectTimeoutSec,
          }
        : {
            transport: 'http',
            name,
            url: normalizeUrl(),
            mode,
            headers: fromRows(headers),
            enabled,
            protocol,
            omitResourceParameter: omitResource,
            clientMetadataUrl: clientMetadataUrl.trim() || undefined,
            oauthClient: oauthClientInput(oauth),
            connectTimeoutSec: http?.connectTimeoutSec,
          };
    try {
      if (existing) await update(existing.id, config);
      else {
        // Add means add and connect, whether or not it connects at every start: the launch approval is the review step.
        const added = await addAndConnect(config);
        // Focus lands on the new server in the list (the dialog would return it to "Add server").
        focusServerItem(added.id);
      }
      onClose();
    } catch (error) {
      // Re-render with the errors now (the submit button is enabled again), then focus the first bad field.
      flushSync(() => {
        setBusy(false);
        if (error instanceof IpcError && error.code === 'VALIDATION' && error.details && typeof error.details === 'object') {
          setErrors(error.details as FieldErrors);
          setFormError('Fix the highlighted fields.');
        } else setFormError((error as Error).message);
      });
      const form = formRef.current;
      if (form && !focusFirstInvalid(form)) {
        form.querySelector<HTMLElement>('[role="alert"]')?.scrollIntoView?.({ block: 'nearest' });
        if (!form.contains(document.activeElement) || document.activeElement === form.querySelector('[type="submit"]'))
          form.querySelector<HTMLElement>('[type="submit"]')?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={existing ? `Edit ${existing.name}` : 'Add server'} onClose={onClose} wide>
      <form ref={formRef} onSubmit={submit} noValidate aria-label={existing ? 'Edit server' : 'Add server'}>
        {filled && prefill && (
          <div className="banner warning" role="note" aria-label="Where these values come from">
            <p>{prefill.notice}</p>
            {prefill.warnings.length > 0 && (
              <ul>
                {prefill.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {!existing && (
          <div role="radiogroup" aria-label="Server type" className="segmented">
            <label className={kind === 'stdio' ? 'active' : ''}>
              <input type="radio" name="kind" value="stdio" checked={kind === 'stdio'} onChange={() => setKind('stdio')} /> Local (stdio)
            </label>
            <label className={kind === 'http' ? 'active' : ''}>
              <input type="radio" name="kind" value="http" checked={kind === 'http'} onChange={() => setKind('http')} /> Remote (HTTP)
            </label>
          </div>
        )}
        {kind === 'stdio' && !existing && commandField(true)}
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} data-autofocus={Boolean(existing) || kind === 'http' || undefined} />}
        </Field>
        {kind === 'stdio' ? (
          <>
            {existing && commandField(false)}
            <Field label="Arguments" error={errors.args} hint="One argument per line, passed as-is (no shell).">
              {(p) => <textarea {...p} rows={4} value={args} spellCheck={false} onChange={(e) => setArgs(e.target.value)} />}
            </Field>
            <ArgsHelp args={argList} cwd={cwd} />
            <Field label="Working directory" error={errors.cwd} hint="Optional absolute path. Without one, the server runs in your home folder.">
              {(p) => <input {...p} value={cwd} spellCheck={false} onChange={(e) => setCwd(e.target.value)} />}
            </Field>
            <KeyValueRows rows={env} onChange={setEnv} errors={errors} prefix="env" noun="variable" />
          </>
        ) : (
          <>
            <Field label="Server URL" error={errors.url} hint={urlNote ?? 'The MCP endpoint, e.g. https://example.com/mcp or localhost:3000/mcp'}>
              {(p) => (
                <input
                  {...p}
                  value={url}
                  spellCheck={false}
                  onChange={(e) => {
                    setUrl(e.target.value);
                    setUrlNote(undefined);
                  }}
                  onBlur={normalizeUrl}
                />
              )}
            </Field>
            <Field label="Transport">
              {(p) => (
                <select {...p} value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
                  <option value="auto">Automatic (Streamable HTTP, falls back to HTTP+SSE)</option>
                  <option value="streamable-http">Streamable HTTP only</option>
                  <option value="sse">Legacy HTTP+SSE only</option>
                </select>
              )}
            </Field>
            <KeyValueRows rows={headers} onChange={setHeaders} errors={errors} prefix="headers" noun="header" />
            <OAuthClientSection form={oauth} onChange={(patch) => setOAuth((f) => ({ ...f, ...patch }))} existing={http?.oauthClient} errors={errors} />
            <Field
              label="Client ID metadata document URL (optional)"
              error={errors.clientMetadataUrl}
              hint="An https URL you host that describes Switchboard as an OAuth client; used instead of dynamic registration where the authorization server supports it."
            >
              {(p) => (
                <input
                  {...p}
                  value={clientMetadataUrl}
                  spellCheck={false}
                  placeholder="https://example.com/oauth/switchboard.json"
                  onChange={(e) => setClientMetadataUrl(e.target.value)}
                />
              )}
            </Field>
            <label className="inline">
              <input type="checkbox" checked={omitResource} onChange={(e) => setOmitResource(e.target.checked)} /> Omit the resource parameter (needed for
              Microsoft Entra ID)
            </label>
          </>
        )}
        <Field label="Protocol" hint={PROTOCOL_HINTS[protocol]}>
          {(p) => (
            <select {...p} value={protocol} onChange={(e) => setProtocol(e.target.value as ProtocolSetting)}>
              <option value="auto">Automatic (2026-07-28 if the server offers it, else 2025-11-25)</option>
              <option value="modern">Modern only (2026-07-28)</option>
              <option value="legacy">Legacy only (2025-11-25 and older)</option>
            </select>
          )}
        </Field>
        <label className="inline">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Connect when Switchboard starts
        </label>
        {!existing && kind === 'stdio' && <p className="hint">Adding connects the server now: first you review the exact command it will run.</p>}
        {formError && (
          <p className="field-error" role="alert">
            {formError}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {existing ? 'Save' : 'Add server'}
          </button>
        </div>
      </form>
      {pasted !== undefined && (
        <PastedImportDialog
          text={pasted}
          onClose={() => setPasted(undefined)}
          onAdded={(servers) => {
            onClose();
            // One server: the same flow as Add (review the command, connect, land on Tools).
            adopt(servers);
            if (servers.length === 1) void connect(servers[0]!.id, { fromAdd: true });
          }}
        />
      )}
    </Dialog>
  );

  function commandField(first: boolean) {
    return (
      <>
        <Field
          label="Command"
          error={errors.command}
          hint={
            first
              ? 'Paste a whole command line (npx -y package …) or a JSON config; or enter the program only, e.g. npx, uvx or an absolute path.'
              : 'The program only, e.g. npx, uvx, docker or an absolute path.'
          }
        >
          {(p) => (
            <input
              {...p}
              value={command}
              spellCheck={false}
              data-autofocus={first || undefined}
              onPaste={onCommandPaste}
              onChange={(e) => {
                setCommand(e.target.value);
                setSplitNote(undefined);
              }}
            />
          )}
        </Field>
        {!existing && <CommandHelp command={command} cwd={cwd} splitNote={splitNote} onSplit={applySplit} onImport={() => setPasted(command)} />}
      </>
    );
  }
}
