import type { ToolView } from '../../api';

const HINTS: [keyof NonNullable<ToolView['annotations']>, string][] = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
  ['idempotentHint', 'idempotent'],
  ['openWorldHint', 'open world'],
];

export function ToolsList({ tools, connected }: { tools: ToolView[]; connected: boolean }) {
  if (!connected) return <p className="empty">Connect the server to see its tools.</p>;
  if (tools.length === 0) return <p className="empty">This server offers no tools.</p>;
  return (
    <ul className="tools" aria-label="Tools">
      {tools.map((tool) => (
        <li key={tool.name} className="tool" aria-label={tool.name}>
          <div className="tool-head">
            <code className="tool-name">{tool.name}</code>
            {tool.title && <span className="tool-title">{tool.title}</span>}
            {HINTS.filter(([k]) => tool.annotations?.[k] === true).map(([, label]) => (
              <span key={label} className={`chip chip-${label.replace(' ', '-')}`}>
                {label}
              </span>
            ))}
          </div>
          {tool.description && <p className="tool-description">{tool.description}</p>}
        </li>
      ))}
    </ul>
  );
}
