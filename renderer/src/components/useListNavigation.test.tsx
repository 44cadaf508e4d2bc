import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { nextIndex, useListNavigation, useTabsNavigation } from './useListNavigation';

// The listbox and tabs keyboard patterns, through small widgets built on the hooks.

function List({ items, onOpen, initial = -1 }: { items: string[]; onOpen?: (i: number) => void; initial?: number }) {
  const [selected, setSelected] = useState(initial);
  const list = useListNavigation({ count: items.length, selectedIndex: selected, onSelect: setSelected, onOpen });
  return (
    <>
      <button type="button">before</button>
      <ul aria-label="Things" {...list.listProps}>
        {items.map((item, i) => (
          <li key={item} {...list.optionProps(i)}>
            {item}
          </li>
        ))}
      </ul>
      <button type="button">after</button>
    </>
  );
}

function Tabs({ names }: { names: string[] }) {
  const [selected, setSelected] = useState(0);
  const tabs = useTabsNavigation({ count: names.length, selectedIndex: selected, onSelect: setSelected });
  return (
    <div aria-label="Views" {...tabs.tabListProps}>
      {names.map((name, i) => (
        <button key={name} type="button" {...tabs.tabProps(i)}>
          {name}
        </button>
      ))}
    </div>
  );
}

const option = (name: string) => screen.getByRole('option', { name });
const tab = (name: string) => screen.getByRole('tab', { name });
const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k });

describe('nextIndex', () => {
  it('moves and clamps in a list, wraps in tabs, and ignores other keys', () => {
    expect(nextIndex('ArrowDown', 0, 3, 'vertical')).toBe(1);
    expect(nextIndex('j', 2, 3, 'vertical')).toBe(2);
    expect(nextIndex('k', 0, 3, 'vertical')).toBe(0);
    expect(nextIndex('End', 0, 3, 'vertical')).toBe(2);
    expect(nextIndex('Home', 2, 3, 'vertical')).toBe(0);
    expect(nextIndex('ArrowRight', 2, 3, 'horizontal')).toBe(0);
    expect(nextIndex('ArrowLeft', 0, 3, 'horizontal')).toBe(2);
    expect(nextIndex('ArrowDown', 0, 3, 'horizontal')).toBeUndefined();
    expect(nextIndex('x', 0, 3, 'vertical')).toBeUndefined();
    expect(nextIndex('ArrowDown', 0, 0, 'vertical')).toBeUndefined();
  });
});

describe('useListNavigation', () => {
  it('is one Tab stop: the selected option, or the first when none is', () => {
    const { unmount } = render(<List items={['a', 'b', 'c']} />);
    expect(screen.getAllByRole('option').map((o) => o.tabIndex)).toEqual([0, -1, -1]);
    unmount();
    render(<List items={['a', 'b', 'c']} initial={2} />);
    expect(screen.getAllByRole('option').map((o) => o.tabIndex)).toEqual([-1, -1, 0]);
    expect(option('c').getAttribute('aria-selected')).toBe('true');
  });

  it('Up/Down, J/K, Home/End move focus and selection together; Enter opens', () => {
    const onOpen = vi.fn();
    render(<List items={['a', 'b', 'c']} onOpen={onOpen} />);
    option('a').focus();
    key('ArrowDown');
    expect(document.activeElement).toBe(option('b'));
    expect(option('b').getAttribute('aria-selected')).toBe('true');
    expect(option('b').tabIndex).toBe(0);
    key('j');
    expect(document.activeElement).toBe(option('c'));
    key('j'); // stays at the end
    expect(document.activeElement).toBe(option('c'));
    key('k');
    expect(document.activeElement).toBe(option('b'));
    key('Home');
    expect(document.activeElement).toBe(option('a'));
    key('End');
    expect(document.activeElement).toBe(option('c'));
    key('Enter');
    expect(onOpen).toHaveBeenCalledWith(2);
  });

  it('leaves keys with modifiers alone, and a click selects', () => {
    render(<List items={['a', 'b']} />);
    option('a').focus();
    fireEvent.keyDown(option('a'), { key: 'ArrowDown', ctrlKey: true });
    expect(document.activeElement).toBe(option('a'));
    fireEvent.click(option('b'));
    expect(option('b').getAttribute('aria-selected')).toBe('true');
  });
});

describe('useTabsNavigation', () => {
  it('Left/Right wrap, Home/End jump, and the focused tab is selected and the only Tab stop', () => {
    render(<Tabs names={['Overview', 'Tools', 'Log']} />);
    tab('Overview').focus();
    key('ArrowRight');
    expect(document.activeElement).toBe(tab('Tools'));
    expect(tab('Tools').getAttribute('aria-selected')).toBe('true');
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([-1, 0, -1]);
    key('End');
    expect(document.activeElement).toBe(tab('Log'));
    key('ArrowRight');
    expect(document.activeElement).toBe(tab('Overview'));
    key('ArrowLeft');
    expect(document.activeElement).toBe(tab('Log'));
    key('Home');
    expect(document.activeElement).toBe(tab('Overview'));
    key('ArrowDown');
    expect(document.activeElement).toBe(tab('Overview'));
  });
});
