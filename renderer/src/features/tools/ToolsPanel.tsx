import { Markdown } from '../../components/Markdown';
import { useEffect, useMemo } from 'react';
import { prettyJson } from '../../components/download';
import { firstLine, ItemList, type ItemListEntry } from '../../components/ItemList';
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
  ['openWorldHint', 'open-world'],
];

/** The annotation chips of a tool (a hint only counts when the server says true). */
export function AnnotationChips({ tool }: { tool: ToolView }) {
  return (
    <>
      {HINTS.filter(([k]) => tool.annotations?.[k] === true).map(([, label]) => (
        <span key={label} className={`chip chip-${label.replace(' ', '-')}`}>
          {label}
        </span>
      ))}
      <AppChips tool={tool} />
    </>
  );
}

export function ToolsPanel({ server }: { server: ServerView }) {
  const tools = useServers((s) => s.tools[server.id]) ?? EMPTY;
  const connected = server.status.state === 'connected';
  const selected = useTools((s) => s.selected[server.id]);
  const selectTool = useTools((s) => s.selectTool);
  const tool = tools.find((t) => t.name === selected);
  // None chosen yet (or the chosen one is gone): the first tool, so the form is one step away.
  useEffect(() => {
    if (tools.length > 0 && !tools.some((t) => t.name === selected)) selectTool(server.id, tools[0]!.name);
  }, [tools, selected, selectTool, server.id]);
  const entries = useMemo<ItemListEntry[]>(
    () =>
      tools.map((t) => ({
        key: t.name,
        name: t.name,
        secondary: t.title ?? firstLine(t.description),
        description: t.description,
        chips: <AnnotationChips tool={t} />,
      })),
    [tools],
  );

  return (
    <div className="inspect-tools">
      <ToolDiffBanner serverId={server.id} />
      {!connected ? (
        <p className="empty">Connect the server to see and call its tools.</p>
      ) : tools.length === 0 ? (
        <p className="empty">This server offers no tools. If it should, check its Log tab, or its documentation for the options that turn tools on.</p>
      ) : (
        <div className="split">
          <div className="split-list">
            <ItemList
              label="Tools"
              searchLabel="Search tools"
              entries={entries}
              selectedKey={selected}
              onSelect={(name) => selectTool(server.id, name)}
              onOpen={(name) => selectTool(server.id, name, { focusForm: true })}
              emptyText={(query) => `No tool matches “${query}”.`}
            />
          </div>
          <div className="split-detail">
            {tool ? <ToolDetail key={tool.name} serverId={server.id} tool={tool} /> : <p className="empty">Choose a tool to see its schemas and call it.</p>}
          </div>
        </div>
      )}
    </div>
  );
}

const EMPTY: ToolView[] = [];

export function ToolDetail({ serverId, tool, prefill }: { serverId: string; tool: ToolView; prefill?: Record<string, unknown> }) {
  return (
    <section className="tool-detail" aria-label={`Tool ${tool.name}`}>
      <h3>
        <code>{tool.name}</code> {tool.title && <span className="tool-title">{tool.title}</span>}
      </h3>
      <div className="chips">
        <AnnotationChips tool={tool} />
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
