import { useCallback, useRef, type KeyboardEvent } from 'react';
import { isTypingTarget } from './focus';

// Keyboard patterns for composite widgets, after the WAI-ARIA Authoring Practices:
// one Tab stop per widget (roving tabindex), arrows to move, Home/End for the ends.
// - useListNavigation: a listbox (server list, tool list). Up/Down and J/K move,
//   selection follows focus, Enter opens the item (e.g. focuses its form).
// - useTabsNavigation: a tablist. Left/Right (wrapping), Home/End; activation follows focus.

/** The index a key moves to, or undefined when the key is not a move. */
export function nextIndex(key: string, current: number, count: number, orientation: 'vertical' | 'horizontal'): number | undefined {
  if (count === 0) return undefined;
  const last = count - 1;
  const from = current < 0 ? -1 : Math.min(current, last);
  if (key === 'Home') return 0;
  if (key === 'End') return last;
  if (orientation === 'vertical') {
    if (key === 'ArrowDown' || key === 'j') return from < 0 ? 0 : Math.min(from + 1, last);
    if (key === 'ArrowUp' || key === 'k') return from < 0 ? 0 : Math.max(from - 1, 0);
  } else {
    if (key === 'ArrowRight') return from < 0 || from === last ? 0 : from + 1;
    if (key === 'ArrowLeft') return from <= 0 ? last : from - 1;
  }
  return undefined;
}

function itemsOf(container: HTMLElement | null, role: string): HTMLElement[] {
  return container ? [...container.querySelectorAll<HTMLElement>(`[role="${role}"]`)] : [];
}

function useRoving<E extends HTMLElement>({
  count,
  selectedIndex,
  onSelect,
  onOpen,
  role,
  orientation,
}: {
  count: number;
  selectedIndex: number;
  onSelect: (index: number) => void;
  onOpen?: (index: number) => void;
  role: 'option' | 'tab';
  orientation: 'vertical' | 'horizontal';
}) {
  const ref = useRef<E>(null);
  const tabStop = selectedIndex >= 0 && selectedIndex < count ? selectedIndex : 0;

  const focusIndex = useCallback(
    (index: number) => {
      const item = itemsOf(ref.current, role)[index];
      item?.focus();
      item?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    },
    [role],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent<E>) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      const items = itemsOf(ref.current, role);
      const current = items.findIndex((item) => item === document.activeElement || item.contains(document.activeElement));
      if (current < 0) return;
      if (role === 'option' && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        if (current !== selectedIndex) onSelect(current);
        if (event.key === 'Enter') onOpen?.(current);
        return;
      }
      const next = nextIndex(event.key, current, items.length, orientation);
      if (next === undefined) return;
      event.preventDefault();
      if (next !== selectedIndex) onSelect(next);
      focusIndex(next);
    },
    [role, orientation, selectedIndex, onSelect, onOpen, focusIndex],
  );

  const itemProps = (index: number) => ({
    role,
    tabIndex: index === tabStop ? 0 : -1,
    'aria-selected': index === selectedIndex,
    onClick: () => onSelect(index),
  });

  return { ref, onKeyDown, itemProps, focusIndex };
}

export interface ListNavigationOptions {
  count: number;
  /** The selected item (-1: none; the first item is then the Tab stop). */
  selectedIndex: number;
  onSelect: (index: number) => void;
  /** Enter on an item. */
  onOpen?: (index: number) => void;
}

/** A listbox: spread `listProps` on the list, `optionProps(i)` on each item (in DOM order). */
export function useListNavigation<E extends HTMLElement = HTMLUListElement>(options: ListNavigationOptions) {
  const { ref, onKeyDown, itemProps, focusIndex } = useRoving<E>({ ...options, role: 'option', orientation: 'vertical' });
  return {
    listProps: { ref, role: 'listbox' as const, onKeyDown },
    optionProps: itemProps,
    focusIndex,
  };
}

/** A tablist with automatic activation: spread `tabListProps` on the tablist, `tabProps(i)` on each tab. */
export function useTabsNavigation<E extends HTMLElement = HTMLDivElement>(options: Omit<ListNavigationOptions, 'onOpen'>) {
  const { ref, onKeyDown, itemProps, focusIndex } = useRoving<E>({ ...options, role: 'tab', orientation: 'horizontal' });
  return {
    tabListProps: { ref, role: 'tablist' as const, onKeyDown },
    tabProps: itemProps,
    focusIndex,
  };
}
