import type { BrowserWindow } from 'electron';

// The one main window. Every window we open gets the same `closed` listener, so
// "no window" is always known, whether it was the first window or one reopened
// from the macOS dock; a destroyed window is never handed out.

/** The parts of BrowserWindow the registry uses (tests pass stand-ins). */
export type MainWindow = Pick<BrowserWindow, 'isDestroyed' | 'isMinimized' | 'restore' | 'show' | 'focus' | 'once' | 'webContents'>;

export interface WindowRegistry<W extends MainWindow> {
  /** The live main window, or undefined when there is none (closed or destroyed). */
  current(): W | undefined;
  /** Opens a new main window and tracks it until it closes. */
  open(): W;
  /** Brings the main window to the front, opening one if there is none (second launch). */
  reveal(): W;
}

export function createWindowRegistry<W extends MainWindow>(create: () => W): WindowRegistry<W> {
  let window: W | undefined;
  const current = () => (window && !window.isDestroyed() ? window : undefined);
  const open = () => {
    const opened = create();
    window = opened;
    opened.once('closed', () => {
      if (window === opened) window = undefined;
    });
    return opened;
  };
  return {
    current,
    open,
    reveal() {
      const existing = current();
      if (!existing) return open(); // shows itself once its page is ready
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    },
  };
}

/** The app events that bring the window back. */
export interface WindowEventSource {
  on(event: 'activate' | 'second-instance', listener: () => void): unknown;
}

/**
 * macOS dock click (`activate`) opens a window when there is none; a second
 * launch (`second-instance`) brings ours forward or opens one. Neither opens a
 * window while the app is shutting down.
 */
export function reopenWindowOnDemand(app: WindowEventSource, windows: WindowRegistry<MainWindow>, shuttingDown: () => boolean): void {
  app.on('activate', () => {
    if (!shuttingDown() && !windows.current()) windows.open();
  });
  app.on('second-instance', () => {
    if (!shuttingDown()) windows.reveal();
  });
}
