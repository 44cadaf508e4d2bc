import { useEffect, useId, useRef, type ReactNode } from 'react';
import { fallbackFocusTarget, firstFieldIn, focusElement } from './focus';

/**
 * A modal built on <dialog>: the browser traps focus and Escape cancels.
 * Focus: `showModal()` would put it on the first button (×), so after opening the
 * dialog focuses its primary input (`data-autofocus`), else its first field, else
 * its body (so Tab reaches the actions and a screen reader reads from the top).
 * On close, focus goes back to the opener unless something else took it (a new
 * item, a form field); if the opener is gone, to the nearest sensible place, never <body>.
 */
export function Dialog({
  title,
  children,
  onClose,
  footer,
  wide,
  className,
  hideHeader,
}: {
  title: string;
  children: ReactNode;
  onClose: () => void;
  footer?: ReactNode;
  wide?: boolean;
  /** An extra class on the <dialog> (the palette's look). */
  className?: string;
  /** No visible header and no × (the title still names the dialog for assistive tech). */
  hideHeader?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    const body = bodyRef.current;
    if (body) focusElement(firstFieldIn(body) ?? body);
    return () => {
      dialog?.close();
      const active = document.activeElement;
      const lost = !active || active === document.body || !active.isConnected || Boolean(dialog?.contains(active));
      if (lost && !focusElement(opener)) focusElement(fallbackFocusTarget());
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={['dialog', wide && 'wide', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className={hideHeader ? 'dialog-header visually-hidden' : 'dialog-header'}>
        <h2 id={titleId}>{title}</h2>
        {!hideHeader && (
          <button type="button" className="icon" aria-label="Close" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="dialog-body" ref={bodyRef} tabIndex={-1}>
        {children}
      </div>
      {footer && <footer className="dialog-footer">{footer}</footer>}
    </dialog>
  );
}
