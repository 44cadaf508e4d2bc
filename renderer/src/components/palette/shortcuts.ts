// The app's keyboard shortcuts, named once: the handler (useGlobalShortcuts), the
// help sheet and the palette's hints all read this table. "Mod" is Cmd on macOS
// and Ctrl elsewhere.

export function isMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform || nav.platform || '';
  return /mac|iphone|ipad/i.test(platform);
}

/** The platform's modifier is down, and only it (Shift aside). */
export function hasMod(event: { ctrlKey: boolean; metaKey: boolean; altKey: boolean }, mac = isMac()): boolean {
  if (event.altKey) return false;
  return mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
}

/** "Mod+K" as the platform writes it: "⌘K" on macOS, "Ctrl+K" elsewhere. */
export function shortcutLabel(keys: string, mac = isMac()): string {
  return keys
    .split(' ')
    .map((combo) => {
      const parts = combo.split('+');
      if (!mac) return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)).join('+');
      return parts.map((p) => ({ Mod: '⌘', Shift: '⇧', Enter: '↩' })[p] ?? p).join('');
    })
    .join(' ');
}

export interface Shortcut {
  /** Space-separated alternatives, "+" joins a combination: "Mod+K", "J ArrowDown". */
  keys: string;
  action: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Mod+K', action: 'Open the command palette: every action by name' },
  { keys: 'Mod+N', action: 'Add a server' },
  { keys: '/', action: 'Search the current list (tools, history…)' },
  { keys: 'Mod+Enter', action: 'Run the tool form, or submit the form you are in' },
  { keys: 'J K ↓ ↑', action: 'Move in a list (servers, tools, history)' },
  { keys: 'Home End', action: 'First or last item of a list or row of tabs' },
  { keys: '← →', action: 'Switch tabs' },
  { keys: 'Enter', action: 'Open the chosen tool’s form, or the chosen record' },
  { keys: 'Esc', action: 'Close a dialog or a confirmation' },
  { keys: '?', action: 'Show these shortcuts' },
];
