// Focus helpers shared by dialogs, lists and the command palette. The rule they
// serve: focus goes somewhere deliberate after every action, never to <body>.

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

const FIELD = [
  'input:not([disabled]):not([type="hidden"]):not([type="radio"]):not([type="checkbox"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
].join(',');

/** Rendered and not inside a closed <details> (a hidden element cannot take focus). */
function shown(el: HTMLElement): boolean {
  if (el.closest('details:not([open]) > :not(summary)')) return false;
  return !el.closest('[hidden], [inert]');
}

export function focusableIn(container: ParentNode): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(shown);
}

/** The element a container should focus first: one marked `data-autofocus`, else its first text field, select or text area. */
export function firstFieldIn(container: ParentNode): HTMLElement | undefined {
  const marked = container.querySelector<HTMLElement>('[data-autofocus]');
  if (marked && shown(marked)) return marked;
  return [...container.querySelectorAll<HTMLElement>(FIELD)].find(shown);
}

/** Focuses `el` without scrolling the page about, and says whether it took. */
export function focusElement(el: HTMLElement | null | undefined, options: { scroll?: boolean } = {}): boolean {
  if (!el || !el.isConnected) return false;
  el.focus({ preventScroll: !options.scroll });
  if (options.scroll) el.scrollIntoView?.({ block: 'nearest' });
  return document.activeElement === el;
}

/**
 * Focuses what `find` returns as soon as it exists: after React renders what a store change asked for.
 * Tries for a few frames, then gives up quietly (the focus guard keeps focus off <body> meanwhile).
 */
export function focusSoon(find: () => HTMLElement | null | undefined, options: { scroll?: boolean; frames?: number } = {}): void {
  let left = options.frames ?? 30;
  const attempt = () => {
    if (focusElement(find(), options)) return;
    if (--left > 0) requestAnimationFrame(attempt);
  };
  // A microtask first: most targets exist right after the current render commits.
  queueMicrotask(attempt);
}

/** The first field marked invalid in a form (`aria-invalid="true"`), scrolled to and focused. */
export function focusFirstInvalid(container: ParentNode | null | undefined): boolean {
  const bad = container?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!bad) return false;
  // A bad field folded away (an "Advanced" section) is unfolded first.
  for (let folded = bad.closest('details:not([open])'); folded; folded = folded.parentElement?.closest('details:not([open])') ?? null)
    (folded as HTMLDetailsElement).open = true;
  // A fieldset (an object or array field) is marked as a whole: focus its first field.
  const target = bad.matches('input, select, textarea, button, [tabindex]') ? bad : (firstFieldIn(bad) ?? focusableIn(bad)[0]);
  return focusElement(target, { scroll: true });
}

/** Typing in a field: single-key shortcuts (`?`, `/`, J/K) must leave these alone. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  return false;
}

/** Where focus goes when its element vanished: the selected server, else the main region. */
export function fallbackFocusTarget(): HTMLElement | null {
  return (
    document.querySelector<HTMLElement>('dialog[open] .dialog-body') ??
    document.querySelector<HTMLElement>('[role="listbox"][aria-label="Servers"] [role="option"][tabindex="0"]') ??
    document.querySelector<HTMLElement>('main')
  );
}
