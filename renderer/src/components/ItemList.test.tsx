import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { firstLine, ItemList, type ItemListEntry } from './ItemList';

// The shared list of tools, resources, templates and prompts: a listbox of
// one-line rows, named by their name, described by their description.

const entries: ItemListEntry[] = [
  { key: 'echo', name: 'echo', secondary: 'Echo', description: 'Says it back.', chips: <span className="chip">read-only</span> },
  { key: 'add', name: 'add', description: 'Adds two numbers.' },
  { key: 'wipe', name: 'wipe', chips: <span className="chip">destructive</span> },
];

function Harness({ onOpen, initial }: { onOpen?: (key: string) => void; initial?: string }) {
  const [selected, setSelected] = useState(initial);
  return <ItemList label="Tools" searchLabel="Search tools" entries={entries} selectedKey={selected} onSelect={setSelected} onOpen={onOpen} />;
}

const options = () => within(screen.getByRole('listbox', { name: 'Tools' })).getAllByRole('option');

describe('ItemList', () => {
  it('names each row by its name, describes it, and shows chips on the row', () => {
    render(<Harness initial="echo" />);
    const echo = screen.getByRole('option', { name: 'echo' });
    expect(echo.getAttribute('aria-selected')).toBe('true');
    expect(echo.textContent).toContain('read-only');
    const described = document.getElementById(echo.getAttribute('aria-describedby')!);
    expect(described?.textContent).toBe('Echo. Says it back.');
    expect(screen.getByRole('option', { name: 'wipe' }).getAttribute('aria-describedby')).toBeNull();
    expect(options().map((o) => o.tabIndex)).toEqual([0, -1, -1]);
  });

  it('selects a row when it is clicked anywhere', () => {
    render(<Harness />);
    fireEvent.click(within(screen.getByRole('option', { name: 'add' })).getByText('add'));
    expect(screen.getByRole('option', { name: 'add' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('option', { name: 'wipe' }));
    expect(options().map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'false', 'true']);
  });

  it('moves with the arrow keys and opens with Enter', () => {
    const onOpen = vi.fn();
    render(<Harness initial="echo" onOpen={onOpen} />);
    const [echo] = options();
    echo!.focus();
    fireEvent.keyDown(echo!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('option', { name: 'add' }));
    expect(screen.getByRole('option', { name: 'add' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledWith('wipe');
  });

  it('filters by name and description, goes down into the list from the search, and says when nothing matches', () => {
    render(<Harness />);
    const search = screen.getByRole('searchbox', { name: 'Search tools' });
    fireEvent.change(search, { target: { value: 'numbers' } });
    expect(options().map((o) => o.querySelector('.item-name')?.textContent)).toEqual(['add']);
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(screen.getByRole('option', { name: 'add' }));
    expect(screen.getByRole('option', { name: 'add' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.change(search, { target: { value: 'zzz' } });
    expect(screen.getByText('Nothing matches “zzz”.')).toBeTruthy();
  });

  it('firstLine takes the first non-empty line', () => {
    expect(firstLine('  Reads a file.\nMore text')).toBe('Reads a file.');
    expect(firstLine('   ')).toBeUndefined();
    expect(firstLine(undefined)).toBeUndefined();
  });
});
