import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerView, ToolView } from '../../api';
import { serverCommands, useServers } from '../../features/servers';
import { toolCommands, useTools } from '../../features/tools';
import { useNavigation } from '../navigation';
import { CommandPalette } from './CommandPalette';
import { collectCommands, filterCommands, type Command } from './commands';
import { hasMod, shortcutLabel } from './shortcuts';
import { usePalette } from './store';

// The palette against real feature stores: what it offers, how the filter ranks,
// and what choosing a command does.

const command = (title: string, extra: Partial<Command> = {}): Command => ({ id: title, title, group: 'Test', run: () => undefined, ...extra });

const server = (id: string, name: string, state: ServerView['status']['state']): ServerView =>
  ({ id, name, config: { transport: 'stdio', command: 'node', args: [] }, status: { state } }) as unknown as ServerView;
const tool = (name: string, description?: string): ToolView => ({ name, description, inputSchema: { type: 'object' } });

afterEach(() => {
  act(() => {
    usePalette.setState({ open: undefined });
    useServers.setState({ servers: {}, order: [], tools: {}, tabs: {}, selectedId: undefined, addOpen: false });
    useTools.setState({ selected: {}, focusForm: undefined });
    useNavigation.setState({ view: 'servers' });
  });
});

describe('filtering', () => {
  const all = [
    command('Add server…'),
    command('Open history of all calls'),
    command('Memory › read_graph'),
    command('Connect Memory'),
    command('Disconnect Files'),
  ];

  it('keeps every command for an empty query, in the sources’ order', () => {
    expect(filterCommands(all, '  ').map((c) => c.title)).toEqual(all.map((c) => c.title));
  });

  it('needs every word to match, and ranks whole words and prefixes first', () => {
    expect(filterCommands(all, 'connect memory').map((c) => c.title)).toEqual(['Connect Memory']);
    expect(filterCommands(all, 'memory').map((c) => c.title)).toEqual(['Memory › read_graph', 'Connect Memory']);
    expect(filterCommands(all, 'conn').map((c) => c.title)).toEqual(['Connect Memory', 'Disconnect Files']);
    expect(filterCommands(all, 'read graph').map((c) => c.title)).toEqual(['Memory › read_graph']);
    expect(filterCommands(all, 'zzz')).toEqual([]);
  });

  it('finds by keywords and by initials in order, below title matches', () => {
    const withKeywords = [command('Open history of all calls', { keywords: 'audit' }), command('Add server…')];
    expect(filterCommands(withKeywords, 'audit').map((c) => c.title)).toEqual(['Open history of all calls']);
    expect(filterCommands(withKeywords, 'adsrv').map((c) => c.title)).toEqual(['Add server…']);
  });

  it('collects sources once per id', () => {
    expect(collectCommands([() => [command('A')], () => [command('A'), command('B')]]).map((c) => c.title)).toEqual(['A', 'B']);
  });
});

describe('the feature sources', () => {
  it('servers offer Add, and Connect or Disconnect by state; tools only of connected servers, as “server › tool”', () => {
    useServers.setState({
      order: ['a', 'b'],
      servers: { a: server('a', 'Memory', 'connected'), b: server('b', 'Files', 'stopped') },
      tools: { a: [tool('read_graph')], b: [tool('read_file')] },
    });
    const titles = [...serverCommands(), ...toolCommands()].map((c) => c.title);
    expect(titles).toContain('Add server…');
    expect(titles).toContain('Disconnect Memory');
    expect(titles).toContain('Connect Files');
    expect(titles).not.toContain('Connect Memory');
    expect(titles).toContain('Memory › read_graph');
    expect(titles).not.toContain('Files › read_file');
  });
});

describe('CommandPalette', () => {
  const open = () => act(() => usePalette.getState().show('palette'));

  it('is a combobox over a listbox: typing filters, arrows move the active option, Enter runs it and closes', () => {
    const runs: string[] = [];
    const source = () => ['Alpha one', 'Alpha two', 'Beta'].map((title) => command(title, { run: () => runs.push(title) }));
    render(<CommandPalette sources={[source]} />);
    open();
    const box = screen.getByRole('combobox', { name: 'Command' });
    expect(document.activeElement).toBe(box);
    const list = screen.getByRole('listbox', { name: 'Commands' });
    expect(within(list).getAllByRole('option')).toHaveLength(3);

    fireEvent.change(box, { target: { value: 'alpha' } });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['Alpha oneTest', 'Alpha twoTest']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');

    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.getAttribute('aria-activedescendant')).toBe(options[1]!.id);
    fireEvent.keyDown(box, { key: 'ArrowDown' }); // wraps
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(runs).toEqual(['Alpha two']);
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(usePalette.getState().open).toBeUndefined();
  });

  it('says when nothing matches, and Enter then does nothing', () => {
    const run = vi.fn();
    render(<CommandPalette sources={[() => [command('Alpha', { run })]]} />);
    open();
    const box = screen.getByRole('combobox', { name: 'Command' });
    fireEvent.change(box, { target: { value: 'nothing like it' } });
    expect(screen.getByRole('status').textContent).toBe('No command matches “nothing like it”.');
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(run).not.toHaveBeenCalled();
  });

  it('a click runs the option clicked', () => {
    const run = vi.fn();
    render(<CommandPalette sources={[() => [command('Alpha'), command('Beta', { run })]]} />);
    open();
    fireEvent.click(screen.getByRole('option', { name: /Beta/ }));
    expect(run).toHaveBeenCalledOnce();
  });

  it('choosing “server › tool” opens that server’s Tools tab on the tool, with its form to be focused', () => {
    useServers.setState({ order: ['a'], servers: { a: server('a', 'Memory', 'connected') }, tools: { a: [tool('read_graph'), tool('search_nodes')] } });
    useNavigation.setState({ view: 'history' });
    render(<CommandPalette sources={[serverCommands, toolCommands]} />);
    open();
    const box = screen.getByRole('combobox', { name: 'Command' });
    fireEvent.change(box, { target: { value: 'memory search' } });
    expect(screen.getAllByRole('option')[0]!.textContent).toContain('Memory › search_nodes');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(useNavigation.getState().view).toBe('servers');
    expect(useServers.getState().selectedId).toBe('a');
    expect(useServers.getState().tabs.a).toBe('tools');
    expect(useTools.getState().selected.a).toBe('search_nodes');
    expect(useTools.getState().focusForm).toEqual({ serverId: 'a', tool: 'search_nodes' });
  });

  it('Add server… opens the Add-server dialog', () => {
    render(<CommandPalette sources={[serverCommands]} />);
    open();
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'add server' } });
    fireEvent.keyDown(screen.getByRole('combobox'), { key: 'Enter' });
    expect(useServers.getState().addOpen).toBe(true);
  });
});

describe('the platform modifier', () => {
  it('is Cmd on macOS and Ctrl elsewhere, in the keys and the labels', () => {
    expect(shortcutLabel('Mod+K', true)).toBe('⌘K');
    expect(shortcutLabel('Mod+Enter', false)).toBe('Ctrl+Enter');
    expect(hasMod({ ctrlKey: false, metaKey: true, altKey: false }, true)).toBe(true);
    expect(hasMod({ ctrlKey: true, metaKey: false, altKey: false }, true)).toBe(false);
    expect(hasMod({ ctrlKey: true, metaKey: false, altKey: false }, false)).toBe(true);
    expect(hasMod({ ctrlKey: true, metaKey: false, altKey: true }, false)).toBe(false);
  });
});

describe('an open palette', () => {
  it('lists what exists now: commands that appear while it is open (tools arriving after a connect) show up', () => {
    let names = ['Add server…'];
    const source = () => names.map((title): Command => ({ id: title, title, group: 'Test', run: () => undefined }));
    const sources = [source]; // the same list object, as App passes it
    act(() => usePalette.getState().show('palette'));
    const { rerender } = render(<CommandPalette sources={sources} revision={1} />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Command' }), { target: { value: 'echo' } });
    expect(screen.queryByRole('option', { name: /Keys › echo/ })).toBeNull();
    names = [...names, 'Keys › echo'];
    rerender(<CommandPalette sources={sources} revision={2} />);
    expect(screen.getByRole('option', { name: /Keys › echo/ })).toBeTruthy();
    act(() => usePalette.getState().close());
  });
});
