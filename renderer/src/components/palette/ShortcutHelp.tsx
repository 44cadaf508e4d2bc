import { Dialog } from '../Dialog';
import { SHORTCUTS, shortcutLabel } from './shortcuts';
import { usePalette } from './store';

// The shortcut sheet (`?`), written with the platform's modifier.

export function ShortcutHelp() {
  const open = usePalette((s) => s.open === 'help');
  const close = usePalette((s) => s.close);
  if (!open) return null;
  return <ShortcutSheet onClose={close} />;
}

function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td className="shortcut-keys">
                {shortcutLabel(s.keys)
                  .split(' ')
                  .map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
