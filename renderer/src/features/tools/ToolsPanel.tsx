import { Markdown } from '../../components/Markdown';
import { useEffect, useMemo, useState } from 'react';
import { prettyJson } from '../../components/download';
import { useListNavigation } from '../../components/useListNavigation';
import type { ServerView, ToolView } from '../../api';
import { useServers } from '../servers';
import { AppChips, AppOnlyNote } from '../mcp-apps';
import { ToolDiffBanner } from './ToolDiffBanner';
import { ToolCaller } from './ToolCaller';
import { useTools } from './store';

const HINTS: [string, string][] = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
  ['idempotentHint', 'idempotent'],
  ['openWorldHint', 'open world'],
];

export function ToolsPanel({ server }: { server: ServerView }) {
  const tools = useServers((s) => s.tools[server.id]) ?? [];
  const connected = server.status.state === 'connected';
  const [query, setQuery] = useState('');
  const selected = useTools((s) => s.selected[server.id]);
  const selectTool = useTools((s) => s.selectTool);
  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? tools.filter((t) => `${t.name} ${t.title ?? ''} ${t.description ?? ''}`.toLowerCase().includes(q)) : tools;
  }, [tools, query]);
  const tool = tools.find((t) => t.name === selected);
  useEffect(() => {
    if (selected && tools.length > 0 && !tools.some((t) => t.name === selected)) selectTool(server.id, undefined);
  }, [tools, selected, selectTool, server.id]);
  // A listbox: one Tab stop, Up/Down/J/K and Home/End choose, Enter goes to the form.
  const list = useListNavigation({
    count: filtered.length,
    selectedIndex: filtered.findIndex((t) => t.name === selected),
    onSelect: (i) => selectTool(server.id, filtered[i]?.name),
    onOpen: (i) => selectTool(server.id, filtered[i]?.name, { focusForm: true }),
  });

  return (
    <div className="inspect-tools">
      <ToolDiffBanner serverId={server.id} />
      {!connected ? (
        <p className="empty">Connect the server to see and call its tools.</p>
      ) : tools.length === 0 ? (
        <p className="empty">This server offers no tools.</p>
      ) : (
        <div className="split">
          <div className="split-list">
            <input
              type="search"
              aria-label="Search tools"
              placeholder="Search tools"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => {
                // Down from the search box goes into the list.
                if (e.key === 'ArrowDown' && filtered.length > 0) {
                  e.preventDefault();
                  const i = Math.max(
                    0,
                    filtered.findIndex((t) => t.name === selected),
                  );
                  selectTool(server.id, filtered[i]!.name);
                  list.focusIndex(i);
                }
              }}
            />
            <ul className="tools" aria-label="Tools" {...list.listProps}>
              {filtered.map((t, i) => (
                <li
                  key={t.name}
                  className={`tool${t.name === selected ? ' selected' : ''}`}
                  // Named by the tool name (its visible text); title and description are its description.
                  aria-describedby={t.title || t.description ? `tool-desc-${server.id}-${i}` : undefined}
                  {...list.optionProps(i)}
                >
                  <span className="tool-pick">
                    <code className="tool-name">{t.name}</code>
                    {t.title && (
                      <span className="tool-title" aria-hidden="true">
                        {t.title}
                      </span>
                    )}
                    <span aria-hidden="true">
                      <AppChips tool={t} />
                    </span>
                  </span>
                  {(t.title || t.description) && (
                    <span className="visually-hidden" id={`tool-desc-${server.id}-${i}`} aria-hidden="true">
                      {[t.title, t.description].filter(Boolean).join('. ')}
                    </span>
                  )}
                  {t.description && (
                    <p className="tool-description clamp" aria-hidden="true">
                      {t.description}
                    </p>
                  )}
                </li>
              ))}
            </ul>
            {filtered.length === 0 && <p className="hint">No tool matches “{query}”.</p>}
          </div>
          <div className="split-detail">
            {tool ? <ToolDetail key={tool.name} serverId={server.id} tool={tool} /> : <p className="empty">Choose a tool to see its schemas and call it.</p>}
          </div>
        </div>
      )}
    </div>
  );
}

export function ToolDetail({ serverId, tool, prefill }: { serverId: string; tool: ToolView; prefill?: Record<string, unknown> }) {
  return (
    <section className="tool-detail" aria-label={`Tool ${tool.name}`}>
      <h3>
        <code>{tool.name}</code> {tool.title && <span className="tool-title">{tool.title}</span>}
      </h3>
      <div className="chips">
        {HINTS.filter(([k]) => tool.annotations?.[k] === true).map(([, label]) => (
          <span key={label} className={`chip chip-${label.replace(' ', '-')}`}>
            {label}
          </span>
        ))}
        <AppChips tool={tool} />
      </div>
      <AppOnlyNote tool={tool} />
      {tool.description && <Markdown source={tool.description} lines={4} />}
      <details>
        <summary>Input schema</summary>
        <pre className="block-json">{prettyJson(tool.inputSchema)}</pre>
      </details>
      {tool.outputSchema && (
        <details>
          <summary>Output schema</summary>
          <pre className="block-json">{prettyJson(tool.outputSchema)}</pre>
        </details>
      )}
      {tool.annotations && (
        <details>
          <summary>Annotations</summary>
          <pre className="block-json">{prettyJson(tool.annotations)}</pre>
        </details>
      )}
      <ToolCaller serverId={serverId} tool={tool} prefill={prefill} />
    </section>
  );
}
