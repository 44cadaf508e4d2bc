import { useId, useMemo, useState, type ReactNode } from 'react';
import { useListNavigation } from './useListNavigation';

// The one list of the inspector tabs (tools, resources, templates, prompts): a
// listbox of dense one-line rows, each clickable as a whole, with an optional
// search box above it. Up/Down/J/K and Home/End choose, Enter opens, Down from
// the search box goes into the list.
//
// An option is named by its `name` (the visible monospace text); its secondary
// text, chips and full description are presentational, and the description is
// its accessible description.

export interface ItemListEntry {
  key: string;
  /** The accessible name and the visible primary text. */
  name: string;
  /** Shown after the name, dimmed, on the same line (the title, or the description's first line). */
  secondary?: string;
  /** Read to assistive tech as the option's description; the row's tooltip too. */
  description?: string;
  /** Chips at the end of the row (annotations, App). */
  chips?: ReactNode;
}

export function ItemList({
  label,
  entries,
  selectedKey,
  onSelect,
  onOpen,
  searchLabel,
  emptyText,
}: {
  /** The listbox's name ("Tools", "Resources", …). */
  label: string;
  entries: readonly ItemListEntry[];
  selectedKey: string | undefined;
  onSelect: (key: string) => void;
  /** Enter on a row (e.g. focus its form). */
  onOpen?: (key: string) => void;
  /** A search box above the list, with this name. */
  searchLabel?: string;
  /** What to say when nothing matches the search. */
  emptyText?: (query: string) => string;
}) {
  const idBase = useId();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? entries.filter((e) => `${e.name} ${e.secondary ?? ''} ${e.description ?? ''}`.toLowerCase().includes(q)) : entries;
  }, [entries, query]);
  const selectedIndex = shown.findIndex((e) => e.key === selectedKey);
  const list = useListNavigation({
    count: shown.length,
    selectedIndex,
    onSelect: (i) => shown[i] && onSelect(shown[i].key),
    onOpen: onOpen && ((i) => shown[i] && onOpen(shown[i].key)),
  });
  return (
    <div className="item-list">
      {searchLabel && (
        <input
          type="search"
          aria-label={searchLabel}
          placeholder={searchLabel}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && shown.length > 0) {
              e.preventDefault();
              const i = Math.max(0, selectedIndex);
              onSelect(shown[i]!.key);
              list.focusIndex(i);
            }
          }}
        />
      )}
      <ul className="item-rows" aria-label={label} {...list.listProps}>
        {shown.map((entry, i) => {
          const descId = `${idBase}-d${i}`;
          const description = [entry.secondary, entry.description].filter((t, at, all) => t && all.indexOf(t) === at).join('. ');
          return (
            <li
              key={entry.key}
              className={`item-row${entry.key === selectedKey ? ' selected' : ''}`}
              title={entry.description ? `${entry.name}: ${entry.description}` : entry.name}
              aria-describedby={description ? descId : undefined}
              {...list.optionProps(i)}
            >
              <code className="item-name">{entry.name}</code>
              {entry.secondary && (
                <span className="item-secondary" aria-hidden="true">
                  {entry.secondary}
                </span>
              )}
              {entry.chips && (
                <span className="item-chips" aria-hidden="true">
                  {entry.chips}
                </span>
              )}
              {description && (
                <span className="visually-hidden" id={descId} aria-hidden="true">
                  {description}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {searchLabel && query && shown.length === 0 && <p className="hint">{emptyText ? emptyText(query) : `Nothing matches “${query}”.`}</p>}
    </div>
  );
}

/** The first line of a description, for a one-line row. */
export function firstLine(text: string | undefined): string | undefined {
  const line = text?.trim().split('\n', 1)[0]?.trim();
  return line ? line : undefined;
}
