import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { focusSoon } from '../../components/focus';
import { nextIndex } from '../../components/useListNavigation';
import { downloadBlob, prettyJson } from '../../components/download';
import { api, errorMessage, type CallStatus, type HistoryRecordView, type HistorySummaryView } from '../../api';
import { ContentBlocks } from '../../components/ContentBlocks';
import { ToolDetail } from '../tools';
import { useServers } from '../servers';
import { PAGE_SIZE, useHistory } from './store';

// Every recorded tool call, newest first. The list is virtualized: only the
// rows in view (plus a few) exist in the DOM, and only their pages are fetched.

const ROW_HEIGHT = 34;
const OVERSCAN = 8;

/** The client filter's "no filter" value ('' means: calls made in Switchboard itself). */
const ALL = '*';

const STATUS_LABEL: Record<CallStatus, string> = {
  ok: 'ok',
  'tool-error': 'tool error',
  error: 'error',
  cancelled: 'cancelled',
  timeout: 'timeout',
  task: 'created a task',
};

export function HistoryView() {
  const { filters, setFilters, total, facets, loadFacets, invalidate, error, selectedId } = useHistory();
  const historyVersion = useHistory((s) => s.appended);
  const [text, setText] = useState(filters.text);
  const [exportError, setExportError] = useState<string>();
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    invalidate();
    void loadFacets();
  }, [historyVersion, invalidate, loadFacets]);
  useEffect(() => {
    if (text === filters.text) return;
    const timer = setTimeout(() => setFilters({ text }), 200);
    return () => clearTimeout(timer);
  }, [text, filters.text, setFilters]);

  return (
    <section className="history" aria-label="History">
      <header className="history-header">
        <h2>History</h2>
        <div className="toolbar">
          <input
            type="search"
            aria-label="Search history"
            placeholder="Search tool, server, arguments, results"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              // Down from the search box goes to the newest matching record.
              if (e.key === 'ArrowDown' && total) {
                e.preventDefault();
                focusRecordRow(0);
              }
            }}
          />
          <select aria-label="Filter by server" value={filters.serverId} onChange={(e) => setFilters({ serverId: e.target.value })}>
            <option value="">All servers</option>
            {facets?.servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.count.toLocaleString('en-US')})
              </option>
            ))}
          </select>
          <select aria-label="Filter by tool" value={filters.tool} onChange={(e) => setFilters({ tool: e.target.value })}>
            <option value="">All tools</option>
            {facets?.tools.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.count.toLocaleString('en-US')})
              </option>
            ))}
          </select>
          <select aria-label="Filter by status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value as CallStatus | '' })}>
            <option value="">Any status</option>
            {(['ok', 'tool-error', 'error', 'cancelled', 'timeout', 'task'] as CallStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
          {facets?.clients && facets.clients.length > 0 && (
            <select
              aria-label="Filter by client"
              value={filters.client ?? ''}
              onChange={(e) => setFilters({ client: e.target.value === ALL ? undefined : e.target.value })}
            >
              <option value={ALL}>All clients</option>
              <option value="">Switchboard itself</option>
              {facets.clients.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.count.toLocaleString('en-US')})
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            disabled={exporting}
            onClick={async () => {
              setExporting(true);
              setExportError(undefined);
              try {
                const { json } = await api.exportHistory({});
                downloadBlob(json, `switchboard-history-${new Date().toISOString().slice(0, 10)}.json`, 'application/json');
              } catch (e) {
                setExportError(errorMessage(e));
              } finally {
                setExporting(false);
              }
            }}
          >
            {exporting ? 'Exporting…' : 'Export JSON'}
          </button>
        </div>
        <p className="hint" role="status" aria-label="Matching records">
          {total === undefined ? 'Loading…' : `${total.toLocaleString('en-US')} ${total === 1 ? 'record' : 'records'}`}
        </p>
      </header>
      <ErrorNote message={error ?? exportError} />
      <div className="history-body">
        <div className="history-list">
          {/* Column headings for the eye; each row's button already names every column for assistive tech. */}
          <div className="history-columns" aria-hidden="true">
            <span>Tool</span>
            <span>Server</span>
            <span>Status</span>
            <span>Started</span>
            <span>Duration</span>
            <span>Arguments</span>
          </div>
          <VirtualList total={total ?? 0} />
        </div>
        {selectedId && <RecordDetail />}
      </div>
    </section>
  );
}

/** Focuses the record at `index` (0-based), scrolling it into the rendered window first. */
function focusRecordRow(index: number): void {
  const scroller = document.querySelector<HTMLElement>('.history .virtual-scroll');
  const find = () => document.querySelector<HTMLElement>(`.history li[aria-posinset="${index + 1}"] button`);
  if (!find() && scroller) scroller.scrollTop = index * ROW_HEIGHT;
  focusSoon(find, { scroll: true });
}

function VirtualList({ total }: { total: number }) {
  const filtered = useHistory((s) => Boolean(s.filters.text || s.filters.serverId || s.filters.tool || s.filters.status || s.filters.client !== undefined));
  const { pages, ensurePage, generation, select, selectedId } = useHistory();
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 600 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setViewport({ top: el.scrollTop, height: el.clientHeight || 600 });
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    // New filters: back to the top.
    if (ref.current) ref.current.scrollTop = 0;
    setViewport((v) => ({ ...v, top: 0 }));
  }, [generation]);

  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (total === 0 || last < first) return;
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) ensurePage(p);
  }, [first, last, total, ensurePage, generation]);

  const rows = [];
  for (let i = first; i <= last; i++) {
    const record = pages[Math.floor(i / PAGE_SIZE)]?.[i % PAGE_SIZE];
    rows.push(<Row key={i} index={i} total={total} record={record} selected={record?.id === selectedId} onOpen={() => record && void select(record.id)} />);
  }
  return (
    <div
      ref={ref}
      className="virtual-scroll"
      onScroll={(e) => setViewport({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
      tabIndex={0}
      aria-label="History records, scrollable"
    >
      {total === 0 ? (
        <p className="empty">
          {filtered
            ? 'No call matches these filters. Clear the search or pick “All” in the filters to see every call.'
            : 'No calls yet. Run a tool from a server’s Tools tab, or let another app call one through the Gateway: every call is recorded here.'}
        </p>
      ) : (
        <ul
          role="list"
          aria-label="History records"
          className="virtual-inner"
          style={{ height: total * ROW_HEIGHT }}
          onKeyDown={(e) => {
            // Up/Down (or J/K), Home/End move between records; Enter opens one (it is a button).
            if (e.ctrlKey || e.metaKey || e.altKey) return;
            const row = (e.target as HTMLElement).closest('li');
            const at = Number(row?.getAttribute('aria-posinset') ?? 0) - 1;
            const next = at >= 0 ? nextIndex(e.key, at, total, 'vertical') : undefined;
            if (next === undefined) return;
            e.preventDefault();
            focusRecordRow(next);
          }}
        >
          {rows}
        </ul>
      )}
    </div>
  );
}

function Row({ index, total, record, selected, onOpen }: { index: number; total: number; record?: HistorySummaryView; selected: boolean; onOpen: () => void }) {
  return (
    <li
      className={`history-row${selected ? ' selected' : ''}`}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      aria-setsize={total}
      aria-posinset={index + 1}
    >
      {record ? (
        <>
          {/* The button's visible text is the tool name, the first words of its name; the other columns repeat
              what the name already says, so they are hidden from assistive technology. The button covers the row. */}
          <button
            type="button"
            className="history-open"
            onClick={onOpen}
            aria-label={`${record.tool} on ${record.serverName}${record.client ? ` by ${record.client}` : ''}, ${STATUS_LABEL[record.status]}, ${new Date(record.startedAt).toLocaleString()}`}
          >
            <code className="h-tool">{record.tool}</code>
          </button>
          <span className="h-server" aria-hidden="true">
            {record.serverName}
            {record.client && <span className="h-client"> · via {record.client}</span>}
          </span>
          <span className={`h-status status-${record.status}`} aria-hidden="true">
            {STATUS_LABEL[record.status]}
          </span>
          <span className="h-time" aria-hidden="true">
            {new Date(record.startedAt).toLocaleString()}
          </span>
          <span className="h-duration" aria-hidden="true">
            {record.durationMs.toFixed(0)} ms
          </span>
          <span className="h-args" aria-hidden="true">
            {record.argumentsPreview}
          </span>
        </>
      ) : (
        <span className="hint">…</span>
      )}
    </li>
  );
}

function RecordDetail() {
  const { record, recordError, select } = useHistory();
  const [again, setAgain] = useState(false);
  return (
    <aside className="history-detail" aria-label="Call details">
      <div className="actions">
        <button type="button" onClick={() => void select(undefined)}>
          Close details
        </button>
        {record && (
          <button type="button" className="primary" onClick={() => setAgain(true)}>
            Call again
          </button>
        )}
      </div>
      <ErrorNote message={recordError} />
      {record ? <RecordBody record={record} /> : !recordError && <p className="hint">Loading…</p>}
      {again && record && <CallAgain record={record} onClose={() => setAgain(false)} />}
    </aside>
  );
}

function RecordBody({ record }: { record: HistoryRecordView }) {
  const result = record.result && typeof record.result === 'object' ? (record.result as Record<string, unknown>) : undefined;
  return (
    <div>
      <h3>
        <code>{record.tool}</code> on {record.serverName}
      </h3>
      {record.client && <p data-testid="record-client">Called through the gateway by {record.client}</p>}
      <p>
        <span className={`h-status status-${record.status}`} data-testid="record-status">
          {STATUS_LABEL[record.status]}
        </span>{' '}
        <span className="hint">
          {new Date(record.startedAt).toLocaleString()} · {record.durationMs.toFixed(1)} ms
        </span>
      </p>
      {record.task && (
        <p className="hint" data-testid="record-task">
          Task <code>{record.task.taskId}</code>
          {record.task.createdBy && (
            <>
              , created by the call recorded as <code>{record.task.createdBy}</code>
            </>
          )}
        </p>
      )}
      <section aria-label="Request">
        <h4>Request arguments</h4>
        <pre className="block-json">{prettyJson(record.arguments)}</pre>
      </section>
      <section aria-label="Response">
        <h4>Response</h4>
        {record.error && (
          <div className="error-note" role="alert">
            {record.error.code !== undefined && <strong>{String(record.error.code)}: </strong>}
            {record.error.message}
          </div>
        )}
        {result && <ContentBlocks blocks={result.content} />}
        {result && (
          <details>
            <summary>Raw response JSON</summary>
            <pre className="block-json">{prettyJson(result)}</pre>
          </details>
        )}
      </section>
    </div>
  );
}

function CallAgain({ record, onClose }: { record: HistoryRecordView; onClose: () => void }) {
  const server = useServers((s) => s.servers[record.serverId]);
  const tool = useServers((s) => s.tools[record.serverId]?.find((t) => t.name === record.tool));
  const loadTools = useServers((s) => s.loadTools);
  useEffect(() => {
    void loadTools(record.serverId);
  }, [record.serverId, loadTools]);
  const args =
    record.arguments && typeof record.arguments === 'object' && !Array.isArray(record.arguments) ? (record.arguments as Record<string, unknown>) : {};
  let body;
  if (!server) body = <ErrorNote message="This server no longer exists." />;
  else if (server.status.state !== 'connected') body = <ErrorNote message={`${server.name} is not connected. Connect it first, then call again.`} />;
  else if (!tool) body = <ErrorNote message={`${server.name} no longer offers ${record.tool}.`} />;
  else body = <ToolDetail serverId={record.serverId} tool={tool} prefill={args} />;
  return (
    <Dialog title={`Call ${record.tool} again`} onClose={onClose} wide>
      {body}
    </Dialog>
  );
}
