import { lazy, Suspense } from 'react';
import type { AppFrameProps } from './AppFrame';

// The app frame and its bridge (the ext-apps SDK) load only when a tool with an app is called.
const AppFrame = lazy(() => import('./AppFrame'));

export function McpAppPanel(props: AppFrameProps) {
  return (
    <Suspense fallback={<p className="hint">Loading the app…</p>}>
      <AppFrame {...props} />
    </Suspense>
  );
}
