import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { UNDO_REMOVE_MS, useRemoval } from './removal';
import { useServers } from './store';
import { UndoRemoveToast } from './UndoRemoveToast';

// Remove is undoable for a few seconds: the server leaves the list at once, the
// core only removes it (and its secrets) when the undo window closes.

const server = (id: string, name: string, state: ServerView['status']['state'] = 'stopped'): ServerView => ({
  id,
  name,
  enabled: true,
  config: { transport: 'stdio', command: 'node', args: [], env: [] },
  status: { state, since: Date.now() },
});

function seed(): void {
  useServers.setState({
    servers: { a: server('a', 'Alpha', 'connected'), b: server('b', 'Beta'), c: server('c', 'Gamma') },
    order: ['a', 'b', 'c'],
    selectedId: 'b',
    hidden: {},
  });
  fakeApi.use({
    removeServer: () => ({ removed: true }),
    disconnectServer: ({ serverId }) => ({ server: server(serverId, useServers.getState().servers[serverId]!.name) }),
    connectServer: ({ serverId }) => ({ server: server(serverId, useServers.getState().servers[serverId]!.name, 'connected') }),
    getServerLog: () => ({ lines: [] }),
    listTools: () => ({ tools: [] }),
  });
}

afterEach(async () => {
  await act(() => useRemoval.getState().flush());
  vi.useRealTimers();
  useServers.setState({ servers: {}, order: [], selectedId: undefined, hidden: {} });
  useRemoval.setState({ pending: undefined, error: undefined });
});

describe('undo remove', () => {
  it('hides the server at once, says so with an Undo button, and Undo brings it back where it was without removing it', async () => {
    seed();
    render(<UndoRemoveToast />);
    await act(() => useRemoval.getState().start('b'));
    expect(useServers.getState().order).toEqual(['a', 'c']);
    expect(useServers.getState().selectedId).toBe('c');
    const toast = screen.getByRole('status', { name: 'Server removal' });
    expect(toast.textContent).toContain('Removed Beta.');
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(useServers.getState().order).toEqual(['a', 'b', 'c']);
    expect(useServers.getState().selectedId).toBe('b');
    expect(screen.queryByRole('status', { name: 'Server removal' })).toBeNull();
    expect(fakeApi.requests('removeServer')).toEqual([]);
  });

  it('removes in the core when the undo window closes', async () => {
    vi.useFakeTimers();
    seed();
    render(<UndoRemoveToast />);
    await act(() => useRemoval.getState().start('c'));
    await act(async () => vi.advanceTimersByTime(UNDO_REMOVE_MS - 100));
    expect(fakeApi.requests('removeServer')).toEqual([]);
    await act(async () => vi.advanceTimersByTime(200));
    expect(fakeApi.requests('removeServer')).toEqual([{ serverId: 'c' }]);
    expect(screen.queryByRole('status', { name: 'Server removal' })).toBeNull();
  });

  it('stops a running server at once and starts it again on Undo (Ctrl+Z)', async () => {
    seed();
    render(<UndoRemoveToast />);
    await act(() => useRemoval.getState().start('a'));
    expect(fakeApi.requests('disconnectServer')).toEqual([{ serverId: 'a' }]);
    await act(async () => {
      fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    });
    expect(useServers.getState().order).toEqual(['a', 'b', 'c']);
    expect(fakeApi.requests('connectServer')).toEqual([{ serverId: 'a' }]);
    expect(fakeApi.requests('removeServer')).toEqual([]);
  });

  it('a second removal, or the window going away, removes the pending one now', async () => {
    seed();
    render(<UndoRemoveToast />);
    await act(() => useRemoval.getState().start('b'));
    await act(() => useRemoval.getState().start('c'));
    expect(fakeApi.requests('removeServer')).toEqual([{ serverId: 'b' }]);
    expect(screen.getByRole('status', { name: 'Server removal' }).textContent).toContain('Removed Gamma.');
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
    });
    expect(fakeApi.requests('removeServer')).toEqual([{ serverId: 'b' }, { serverId: 'c' }]);
  });

  it('a removal the core refuses puts the server back and says why', async () => {
    seed();
    fakeApi.use({
      removeServer: () => {
        throw new Error('disk full');
      },
    });
    render(<UndoRemoveToast />);
    await act(() => useRemoval.getState().start('b'));
    await act(() => useRemoval.getState().flush());
    expect(useServers.getState().order).toEqual(['a', 'b', 'c']);
    expect(screen.getByRole('status', { name: 'Server removal' }).textContent).toContain('Could not remove Beta');
  });
});
