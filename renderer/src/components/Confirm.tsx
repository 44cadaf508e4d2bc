import { useEffect, useRef, type ReactNode } from 'react';
import { fallbackFocusTarget, focusElement } from './focus';

/**
 * An inline confirmation (role=alertdialog) for a destructive action. It takes
 * focus on its safe button, Escape answers "keep", and cancelling puts focus back
 * where it was (the button that asked).
 */
export function Confirm({
  label,
  children,
  keepLabel = 'Keep',
  confirmLabel,
  onKeep,
  onConfirm,
}: {
  label: string;
  children: ReactNode;
  keepLabel?: string;
  confirmLabel: string;
  onKeep: () => void;
  onConfirm: () => void;
}) {
  const keepRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    focusElement(keepRef.current, { scroll: true });
  }, []);
  const keep = () => {
    onKeep();
    const opener = openerRef.current;
    queueMicrotask(() => focusElement(opener) || focusElement(fallbackFocusTarget()));
  };
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          keep();
        }
      }}
    >
      <span>{children}</span>
      <button type="button" ref={keepRef} onClick={keep}>
        {keepLabel}
      </button>
      <button type="button" className="danger" onClick={onConfirm}>
        {confirmLabel}
      </button>
    </div>
  );
}
