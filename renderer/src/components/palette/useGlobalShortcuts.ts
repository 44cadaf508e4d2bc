import { useEffect } from 'react';
import { fallbackFocusTarget, focusElement, isTypingTarget } from '../focus';
import { hasMod } from './shortcuts';
import { usePalette } from './store';

// The app-wide keys (see SHORTCUTS). Single keys (`?`, `/`) never fire while the
// user types in a field; nothing but Mod+K fires over an open dialog.

const anotherDialogOpen = () => Boolean(document.querySelector('dialog[open]:not(.palette)'));

/** The search box of the list the user is in: the nearest one up from the focus, else the first in the main area. */
function currentSearch(): HTMLInputElement | null {
  for (let el = document.activeElement; el && el !== document.body; el = el.parentElement) {
    const search = el.querySelector<HTMLInputElement>('input[type="search"]');
    if (search) return search;
  }
  return document.querySelector<HTMLInputElement>('main input[type="search"]') ?? document.querySelector<HTMLInputElement>('input[type="search"]');
}

export function useGlobalShortcuts({ onAddServer }: { onAddServer: () => void }): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const palette = usePalette.getState();
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (hasMod(event)) {
        if (key === 'k' && !event.shiftKey) {
          event.preventDefault();
          if (palette.open === 'palette') palette.close();
          else if (!anotherDialogOpen()) palette.show('palette');
        } else if (key === 'n' && !event.shiftKey) {
          event.preventDefault();
          if (!anotherDialogOpen() && !palette.open) onAddServer();
        } else if (key === 'Enter') {
          const active = document.activeElement;
          const form = active?.closest('form') ?? (anotherDialogOpen() ? null : document.querySelector<HTMLFormElement>('main form[data-primary-form]'));
          if (form) {
            event.preventDefault();
            form.requestSubmit();
          }
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target) || anotherDialogOpen() || palette.open) return;
      if (event.key === '?') {
        event.preventDefault();
        palette.show('help');
      } else if (event.key === '/') {
        const search = currentSearch();
        if (search) {
          event.preventDefault();
          focusElement(search, { scroll: true });
          search.select();
        }
      }
    };
    // Focus must never rest on <body>: when the focused element disappears (a
    // button replaced, a panel closed), put it somewhere sensible. Late on purpose,
    // so a dialog's own restore and a command's focus move go first; a mouse click
    // on empty space is left alone.
    let pointerAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onPointerDown = () => (pointerAt = Date.now());
    const check = () => {
      timer = undefined;
      if (Date.now() - pointerAt < 500 || !document.hasFocus()) return;
      if (!document.activeElement || document.activeElement === document.body) focusElement(fallbackFocusTarget());
    };
    const schedule = () => {
      if (!timer && (!document.activeElement || document.activeElement === document.body)) timer = setTimeout(check, 120);
    };
    const onFocusOut = (event: FocusEvent) => {
      if (!event.relatedTarget) setTimeout(schedule, 0);
    };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('focusout', onFocusOut);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, [onAddServer]);
}
