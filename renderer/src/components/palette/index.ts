// The command palette, the shortcut sheet and the app-wide keys. Features
// contribute commands (their index exports a CommandSource); the shell lists the sources.
export { CommandPalette } from './CommandPalette';
export { ShortcutHelp } from './ShortcutHelp';
export { collectCommands, filterCommands, scoreCommand, type Command, type CommandSource } from './commands';
export { SHORTCUTS, hasMod, isMac, shortcutLabel } from './shortcuts';
export { usePalette } from './store';
export { useGlobalShortcuts } from './useGlobalShortcuts';
