import { useEffect } from 'react';
import { isTypingTarget } from '../../components/focus';
import { focusServerItem } from './ServerList';
import { useRemoval } from './removal';

// "Removed X. Undo": a status message with its button in the tab order, and
// Ctrl/Cmd+Z while it shows (outside text fields). A removal the core refused
// shows here too.

export function UndoRemoveToast() {
  const { pending, error, undo, dismissError } = useRemoval();
  const restore = () => {
    const id = useRemoval.getState().pending?.id;
    undo();
    focusServerItem(id);
  };
  useEffect(() => {
    if (!pending) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'z' && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && !isTypingTarget(e.target)) {
        e.preventDefault();
        restore();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  if (!pending && !error) return null;
  return (
    <div className="toast" role="status" aria-label="Server removal">
      {pending ? (
        <>
          <span>Removed {pending.name}.</span>
          <button type="button" className="small" onClick={restore}>
            Undo
          </button>
        </>
      ) : (
        <>
          <span className="toast-error">{error}</span>
          <button type="button" className="small" onClick={dismissError}>
            Dismiss
          </button>
        </>
      )}
    </div>
  );
}
