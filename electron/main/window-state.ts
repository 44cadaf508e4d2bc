import type { Rectangle } from 'electron';

// Remembers the main window's size and position: saved (debounced) as it moves
// or resizes, and once more as it closes. Which saved bounds are safe to use
// again is decided by the core (desktop/window-bounds.ts).

/** The parts of BrowserWindow this uses (tests pass a stand-in). */
export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close' | 'maximize' | 'unmaximize', listener: () => void): unknown;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

export function trackWindowBounds(window: TrackedWindow, save: (normal: Rectangle, maximized: boolean) => void, debounceMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    try {
      save(window.getNormalBounds(), window.isMaximized());
    } catch {
      /* a settings write failing must not break moving the window */
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later);
  window.on('close', flush);
  return () => timer && clearTimeout(timer);
}
