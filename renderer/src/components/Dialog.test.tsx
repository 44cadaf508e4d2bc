import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Confirm } from './Confirm';
import { Dialog } from './Dialog';

// Focus in and out of dialogs and inline confirmations.

function Opener({ body }: { body: (close: () => void) => React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <Dialog title="Thing" onClose={() => setOpen(false)}>
          {body(() => setOpen(false))}
        </Dialog>
      )}
    </>
  );
}

describe('Dialog focus', () => {
  it('focuses the first field, not the × button, and gives focus back to the opener on close', () => {
    render(
      <Opener
        body={(close) => (
          <>
            <label>
              <input type="radio" name="k" /> Kind
            </label>
            <label>
              Name <input />
            </label>
            <button type="button" onClick={close}>
              Done
            </button>
          </>
        )}
      />,
    );
    const opener = screen.getByRole('button', { name: 'Open' });
    opener.focus();
    fireEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Name' }));
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('prefers the field marked data-autofocus, and a dialog without fields focuses its body', () => {
    const { unmount } = render(
      <Dialog title="Marked" onClose={() => undefined}>
        <input aria-label="First" />
        <input aria-label="Primary" data-autofocus />
      </Dialog>,
    );
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Primary' }));
    unmount();
    render(
      <Dialog title="Plain" onClose={() => undefined}>
        <p>Read this first.</p>
        <button type="button">Allow</button>
      </Dialog>,
    );
    expect(document.activeElement?.className).toBe('dialog-body');
  });

  it('leaves focus alone on close when something else took it (a new item)', () => {
    render(
      <>
        <button type="button">New item</button>
        <Opener
          body={(close) => (
            <button
              type="button"
              onClick={() => {
                screen.getByRole('button', { name: 'New item', hidden: true }).focus();
                close();
              }}
            >
              Add
            </button>
          )}
        />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Add' })));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'New item' }));
  });
});

describe('Confirm', () => {
  it('takes focus on Keep, and Escape keeps and returns focus to the button that asked', async () => {
    const onConfirm = vi.fn();
    function Asker() {
      const [asking, setAsking] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setAsking(true)}>
            Remove
          </button>
          {asking && (
            <Confirm label="Confirm removal" confirmLabel="Remove server" onKeep={() => setAsking(false)} onConfirm={onConfirm}>
              Remove it?
            </Confirm>
          )}
        </>
      );
    }
    render(<Asker />);
    const remove = screen.getByRole('button', { name: 'Remove' });
    remove.focus();
    fireEvent.click(remove);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(async () => await Promise.resolve());
    expect(document.activeElement).toBe(remove);
    expect(onConfirm).not.toHaveBeenCalled();
  });
});

describe('focusFirstInvalid', () => {
  it('unfolds a closed section to reach the first bad field, and focuses it', async () => {
    const { focusFirstInvalid } = await import('./focus');
    render(
      <form aria-label="F">
        <input aria-label="Fine" />
        <details>
          <summary>Advanced</summary>
          <input aria-label="Bad" aria-invalid="true" />
        </details>
      </form>,
    );
    expect(focusFirstInvalid(screen.getByRole('form', { name: 'F' }))).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Bad' }));
    expect(document.querySelector('details')!.open).toBe(true);
  });
});
