import type { ToolView } from '../../api';

/** "App" on a tool that renders one; "app only" on a tool only its server's app may call (hidden from models). */
export function AppChips({ tool }: { tool: ToolView }) {
  const appOnly = tool.ui && !tool.ui.visibility.includes('model');
  return (
    <>
      {tool.ui?.resourceUri && (
        <span className="chip chip-app" title={`Shows ${tool.ui.resourceUri} after a call`}>
          App
        </span>
      )}
      {appOnly && (
        <span className="chip chip-app-only" title="Hidden from models (and gateway clients); its server's app calls it">
          app only
        </span>
      )}
    </>
  );
}

/** Under an app-only tool's chips: what the marking means here, where there is no model. */
export function AppOnlyNote({ tool }: { tool: ToolView }) {
  if (!tool.ui || tool.ui.visibility.includes('model')) return null;
  return (
    <p className="hint">Only this server's app calls this tool: models, and clients of the gateway, do not see it. You can still call it here to test it.</p>
  );
}
