import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { ErrorNote } from '../../components/ErrorNote';
import { firstFieldIn, focusElement, focusFirstInvalid } from '../../components/focus';
import { initialValue, SchemaForm, type Schema } from '../../components/SchemaForm';
import { prettyJson } from '../../components/download';
import { api, errorMessage, IpcError, type ToolView } from '../../api';
import { McpAppPanel } from '../mcp-apps';
import { ResultView } from './ResultView';
import { newCallId, sessionKey, useTools, type ToolSession } from './store';

// Call one tool: a form from its input schema (or raw JSON), validated in the
// core before anything is sent, with progress, cancel and a timeout.

let replays = 0;

export function ToolCaller({ serverId, tool, prefill }: { serverId: string; tool: ToolView; prefill?: Record<string, unknown> }) {
  const schema = tool.inputSchema as Schema;
  const initial = useMemo(() => prefill ?? (initialValue(schema, schema) as Record<string, unknown> | undefined) ?? {}, [schema, prefill]);
  // The form and the last result live in the tools store, per server and tool, so
  // they survive switching server, tab, tool or view. A replay from History starts afresh (a key of its own).
  const [replay] = useState(() => (prefill ? `${++replays}` : undefined));
  const key = sessionKey(serverId, tool.name, replay);
  const fresh = useMemo<ToolSession>(
    () => ({ value: initial, mode: 'form', raw: prettyJson(initial), timeoutSec: '60', skipValidation: false, asTask: false, fieldErrors: {} }),
    [initial],
  );
  const session = useTools((s) => s.sessions[key]) ?? fresh;
  const patch = useCallback((p: Partial<ToolSession>) => useTools.getState().patchSession(key, p, fresh), [key, fresh]);
  const { value, mode, raw, fieldErrors, error, timeoutSec, skipValidation, asTask, callId, response, calledWith } = session;
  const setValue = (v: unknown) => patch({ value: v });
  const setRaw = (v: string) => patch({ raw: v });
  const setError = (v: string | undefined) => patch({ error: v });
  const [formKey, setFormKey] = useState(0);
  const progress = useTools((s) => (callId ? s.progress[callId] : undefined));
  const formRef = useRef<HTMLFormElement>(null);
  const submitButton = () => formRef.current?.querySelector<HTMLElement>('[type="submit"]');
  const cancelButton = () => formRef.current?.querySelector<HTMLElement>('[data-cancel-call]');
  const focusRequested = useTools((s) => s.focusForm?.serverId === serverId && s.focusForm.tool === tool.name);
  useEffect(() => {
    // Enter in the tool list or the palette: straight to the first argument (or Run, for a tool without any).
    if (!focusRequested) return;
    const form = formRef.current;
    const fields = form?.querySelector<HTMLElement>('.schema-form, .json-input');
    focusElement((fields && (fields.matches('textarea') ? fields : firstFieldIn(fields))) ?? form?.querySelector<HTMLElement>('[type="submit"]'), {
      scroll: true,
    });
    useTools.getState().formFocused();
  }, [focusRequested]);

  const switchMode = (next: 'form' | 'json') => {
    if (next === 'json') patch({ error: undefined, raw: prettyJson(value ?? {}), mode: next });
    else {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The arguments must be a JSON object.');
        patch({ error: undefined, value: parsed, mode: next });
        setFormKey((k) => k + 1);
      } catch (e) {
        setError(`Cannot switch to the form: ${errorMessage(e)}`);
      }
    }
  };

  const run = async () => {
    patch({ error: undefined, fieldErrors: {} });
    let args: Record<string, unknown>;
    if (mode === 'json') {
      try {
        const parsed: unknown = JSON.parse(raw || '{}');
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The arguments must be a JSON object.');
        args = parsed as Record<string, unknown>;
      } catch (e) {
        setError(`Invalid JSON: ${errorMessage(e)}`);
        return;
      }
    } else args = (value ?? {}) as Record<string, unknown>;
    const seconds = Number(timeoutSec);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) {
      patch({ fieldErrors: { $timeout: 'Between 0.1 and 3600 seconds.' } });
      return;
    }
    try {
      // The core validates against the input schema before anything is sent (one round trip, not two).
      const id = newCallId();
      // Run is disabled while the call runs: focus on it moves to Cancel call, then back.
      const onRun = document.activeElement === submitButton() || document.activeElement === document.body;
      flushSync(() => patch({ callId: id, response: undefined, calledWith: args }));
      if (onRun) focusElement(cancelButton());
      patch({
        response: await api.callTool({
          serverId,
          tool: tool.name,
          arguments: args,
          callId: id,
          timeoutMs: Math.round(seconds * 1000),
          skipValidation,
          asTask: tool.taskSupport === 'required' || (tool.taskSupport === 'optional' && asTask),
        }),
      });
    } catch (e) {
      if (e instanceof IpcError && e.code === 'VALIDATION' && e.details && typeof e.details === 'object') {
        flushSync(() => patch({ fieldErrors: e.details as Record<string, string>, error: 'The arguments do not match the input schema. Nothing was sent.' }));
        focusFirstInvalid(formRef.current);
      } else setError(errorMessage(e));
    } finally {
      const onCancel = document.activeElement === cancelButton() || document.activeElement === document.body;
      flushSync(() => patch({ callId: undefined }));
      if (onCancel || document.activeElement === document.body) focusElement(submitButton());
    }
  };

  const running = callId !== undefined;
  const jsonErrors = Object.entries(fieldErrors).filter(([k]) => !k.startsWith('$'));
  return (
    <section className="tool-caller" aria-label={`Call ${tool.name}`}>
      {prefill && JSON.stringify(prefill).includes('"[redacted]"') && (
        <p className="note notice" role="status">
          Some values of the earlier call looked like secrets and were not kept in the history. Enter them again before running.
        </p>
      )}
      <form
        ref={formRef}
        data-primary-form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="segmented" role="radiogroup" aria-label="Argument editor">
          <label className={mode === 'form' ? 'active' : ''}>
            <input type="radio" name={`mode-${tool.name}`} checked={mode === 'form'} onChange={() => switchMode('form')} /> Form
          </label>
          <label className={mode === 'json' ? 'active' : ''}>
            <input type="radio" name={`mode-${tool.name}`} checked={mode === 'json'} onChange={() => switchMode('json')} /> Raw JSON
          </label>
        </div>
        {mode === 'form' ? (
          <SchemaForm key={formKey} schema={schema} value={value} onChange={setValue} errors={fieldErrors} />
        ) : (
          <div className="field">
            <label htmlFor={`raw-${tool.name}`}>Arguments (JSON)</label>
            <textarea id={`raw-${tool.name}`} className="json-input" rows={8} value={raw} onChange={(e) => setRaw(e.target.value)} spellCheck={false} />
            {jsonErrors.length > 0 && (
              <ul className="field-error">
                {jsonErrors.map(([k, m]) => (
                  <li key={k}>{k ? `${k}: ${m}` : m}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="call-options">
          <label className="inline">
            Timeout (seconds)
            <input
              type="number"
              min={0.1}
              step="any"
              className="narrow"
              value={timeoutSec}
              onChange={(e) => patch({ timeoutSec: e.target.value })}
              aria-invalid={fieldErrors.$timeout ? true : undefined}
            />
          </label>
          <label className="inline">
            <input type="checkbox" checked={skipValidation} onChange={(e) => patch({ skipValidation: e.target.checked })} /> Send without validating
          </label>
          {tool.taskSupport === 'optional' && (
            <label className="inline" title="The server runs the call in the background; follow it in the Tasks tab.">
              <input type="checkbox" checked={asTask} onChange={(e) => patch({ asTask: e.target.checked })} /> Run as task
            </label>
          )}
          {tool.taskSupport === 'required' && <span className="hint">This tool always runs as a task (see the Tasks tab).</span>}
          {fieldErrors.$timeout && <span className="field-error">{fieldErrors.$timeout}</span>}
        </div>
        <div className="actions run-bar">
          <button type="submit" className="primary" disabled={running}>
            {running ? 'Running…' : 'Run tool'}
          </button>
          {running && (
            <button type="button" className="danger" data-cancel-call onClick={() => void api.cancelToolCall({ callId: callId! })}>
              Cancel call
            </button>
          )}
          {running && progress && (
            <div className="progress">
              <progress aria-label="Progress" value={progress.progress} max={progress.total ?? undefined} />
              <span className="hint">
                {progress.progress}
                {progress.total !== undefined ? ` / ${progress.total}` : ''} {progress.message ?? ''}
              </span>
            </div>
          )}
        </div>
      </form>
      <ErrorNote message={error} />
      {response && <ResultView response={response} serverId={serverId} onRetry={running ? undefined : () => void run()} />}
      {response?.result && tool.ui?.resourceUri && calledWith && <McpAppPanel serverId={serverId} tool={tool} input={calledWith} result={response.result} />}
    </section>
  );
}
