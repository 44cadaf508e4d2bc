import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { Dialog } from '../Dialog';
import { collectCommands, filterCommands, type Command, type CommandSource } from './commands';
import { shortcutLabel } from './shortcuts';
import { usePalette } from './store';

// The command palette (Mod+K): a filter box and the matching commands, after the
// WAI-ARIA combobox pattern. Focus stays in the box; Up/Down (and PageUp/PageDown)
// move the active option, Enter runs it, Escape closes. A command runs after the
// palette has closed, so the focus it moves (to a dialog, a form) stays there.

const MAX_SHOWN = 200;

/**
 * `revision` changes whenever what the sources read changed (servers connecting, tools arriving), so an open
 * palette lists what exists now, not what existed when it opened.
 */
export function CommandPalette({ sources, revision }: { sources: readonly CommandSource[]; revision?: unknown }) {
  const open = usePalette((s) => s.open === 'palette');
  const close = usePalette((s) => s.close);
  return open ? <PaletteDialog sources={sources} revision={revision} onClose={close} /> : null;
}

function PaletteDialog({ sources, revision, onClose }: { sources: readonly CommandSource[]; revision: unknown; onClose: () => void }) {
  // `revision` is the signal to read the sources again.
  const commands = useMemo(() => collectCommands(sources), [sources, revision]);
  const [query, setQuery] = useState('');
  const matches = useMemo(() => filterCommands(commands, query).slice(0, MAX_SHOWN), [commands, query]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const optionId = (i: number) => `${listId}-option-${i}`;

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const run = (command: Command | undefined) => {
    if (!command) return;
    // Close first (focus goes back to where it was), then let the command move it.
    flushSync(onClose);
    command.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = matches.length;
    const move = (to: number) => {
      event.preventDefault();
      if (count > 0) setActive(((to % count) + count) % count);
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'PageDown') move(Math.min(active + 8, count - 1));
    else if (event.key === 'PageUp') move(Math.max(active - 8, 0));
    else if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      run(matches[active]);
    }
  };

  return (
    <Dialog title="Command palette" onClose={onClose} className="palette" hideHeader>
      <input
        type="text"
        className="palette-input"
        role="combobox"
        aria-label="Command"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={matches[active] ? optionId(active) : undefined}
        placeholder="Type a command or a tool name…"
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        data-autofocus
      />
      <ul className="palette-list" role="listbox" id={listId} aria-label="Commands" ref={listRef}>
        {matches.map((command, i) => (
          <li
            key={command.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            data-index={i}
            className={i === active ? 'palette-option active' : 'palette-option'}
            onMouseMove={() => i !== active && setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(command)}
          >
            <span className="palette-title">{command.title}</span>
            <span className="palette-group">{command.group}</span>
            {command.shortcut && <kbd className="palette-shortcut">{shortcutLabel(command.shortcut)}</kbd>}
          </li>
        ))}
      </ul>
      {matches.length === 0 && (
        <p className="empty" role="status">
          No command matches “{query}”.
        </p>
      )}
    </Dialog>
  );
}
