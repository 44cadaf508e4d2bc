import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { prettyJson } from '../../components/download';
import { api, errorMessage, type ServerView, type TrafficEntryView } from '../../api';
import { useTraffic } from './store';

// Every JSON-RPC message in both directions (and HTTP exchanges for remote
// servers), fetched incrementally when the core says there is more.

const KEEP = 2000;

export function TrafficPanel({ server }: { server: ServerView }) {
  const serverId = server.id;
  const lastSeq = useTraffic((s) => s.lastSeq[serverId] ?? 0);
  const [entries, setEntries] = useState<TrafficEntryView[]>([]);
  const [error, setError] = useState<string>();
  const [method, setMethod] = useState('');
  const [direction, setDirection] = useState<'' | 'in' | 'out'>('');
  const [open, setOpen] = useState<number>();
  const [copied, setCopied] = useState<string>();
  const seen = useRef(0);
  useEffect(() => {
    let cancelled = false;
    api.listTraffic({ serverId, afterSeq: seen.current || undefined }).then(
      ({ entries: more }) => {
        if (cancelled || more.length === 0) return;
        seen.current = more[more.length - 1]!.seq;
        setEntries((e) => {
          // A response arriving links back to its request: refresh paired entries by seq.
          const bySeq = new Map(e.map((x) => [x.seq, x]));
          for (const m of more) bySeq.set(m.seq, m);
          return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-KEEP);
        });
      },
      (e) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [serverId, lastSeq]);
  const methods = useMemo(() => [...new Set(entries.map((e) => e.method).filter((m): m is string => Boolean(m)))].sort(), [entries]);
  const shown = entries.filter((e) => (!method || e.method === method) && (!direction || (e.kind === 'jsonrpc' && e.direction === direction)));
  const bySeq = useMemo(() => new Map(entries.map((e) => [e.seq, e])), [entries]);
  const t0 = entries[0]?.ts ?? 0;

  return (
    <div className="inspect-traffic">
      <div className="toolbar">
        <label className="inline">
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="">All methods</option>
            {methods.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label className="inline">
          Direction
          <select value={direction} onChange={(e) => setDirection(e.target.value as '' | 'in' | 'out')}>
            <option value="">Both</option>
            <option value="out">Sent (client → server)</option>
            <option value="in">Received (server → client)</option>
          </select>
        </label>
        <span className="hint">
          {shown.length} of {entries.length} messages
        </span>
        {copied && (
          <span role="status" className="ok-note">
            {copied}
          </span>
        )}
      </div>
      <ErrorNote message={error} />
      <ol className="traffic" aria-label="Traffic">
        {shown.slice(-500).map((e) => {
          const paired = e.kind === 'jsonrpc' && e.pairedSeq !== undefined ? bySeq.get(e.pairedSeq) : undefined;
          const latency = e.kind === 'jsonrpc' ? (e.latencyMs ?? (paired?.kind === 'jsonrpc' ? paired.latencyMs : undefined)) : e.durationMs;
          const summary =
            e.kind === 'jsonrpc'
              ? `${e.direction === 'out' ? '→' : '←'} ${e.method ?? (isError(e.message) ? 'error' : 'response')}${e.id !== undefined ? ` #${e.id}` : ''}${roundNote(e.message)}`
              : `${e.method} ${e.url} → ${e.status || e.error || 'failed'}`;
          return (
            <li key={e.seq} className={`traffic-entry ${e.kind === 'jsonrpc' ? `dir-${e.direction}` : 'http'}`} aria-label={summary}>
              <button type="button" className="traffic-row" aria-expanded={open === e.seq} onClick={() => setOpen(open === e.seq ? undefined : e.seq)}>
                <span className="log-time" title={new Date(e.ts).toISOString()}>
                  +{((e.ts - t0) / 1000).toFixed(3)}s
                </span>
                <span className="traffic-summary">{summary}</span>
                {latency !== undefined && <span className="hint">{latency.toFixed(1)} ms</span>}
              </button>
              {open === e.seq && (
                <div className="traffic-detail">
                  <p className="hint">
                    {new Date(e.ts).toISOString()}
                    {paired ? ` · pairs with #${paired.seq}` : ''}
                  </p>
                  <pre className="block-json">{prettyJson(e.kind === 'jsonrpc' ? e.message : e)}</pre>
                  <button
                    type="button"
                    className="small"
                    onClick={() =>
                      navigator.clipboard.writeText(prettyJson(e.kind === 'jsonrpc' ? e.message : e)).then(
                        () => setCopied('Copied message as JSON.'),
                        (err) => setCopied(`Could not copy: ${errorMessage(err)}`),
                      )
                    }
                  >
                    Copy as JSON
                  </button>
                </div>
              )}
            </li>
          );
        })}
        {shown.length === 0 && (
          <li className="hint">
            {entries.length > 0
              ? 'No message matches these filters.'
              : 'No traffic yet. Connect the server or call one of its tools: every message it exchanges shows up here.'}
          </li>
        )}
      </ol>
    </div>
  );
}

const isError = (m: unknown): boolean => Boolean(m && typeof m === 'object' && 'error' in m);

/**
 * Multi-round-trip requests (2026-07-28): a result asking for input, and the retry
 * that carries the answers (a new id each round; the SDK sends it).
 */
function roundNote(m: unknown): string {
  if (!m || typeof m !== 'object') return '';
  const result = (m as { result?: { resultType?: unknown } }).result;
  if (result && typeof result === 'object' && result.resultType === 'input_required') return ' · input required';
  const params = (m as { method?: unknown; params?: { inputResponses?: unknown; requestState?: unknown } }).params;
  if (params && typeof params === 'object' && (params.inputResponses !== undefined || params.requestState !== undefined)) return ' · retry with input';
  return '';
}
