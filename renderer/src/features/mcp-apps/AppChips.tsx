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
