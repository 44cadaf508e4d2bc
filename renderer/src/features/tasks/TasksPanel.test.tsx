import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ServerView, TaskView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { TasksPanel } from './TasksPanel';

// The Tasks tab against the fake core: the list, live status from events, Cancel, the result.

const server = (state: 'connected' | 'stopped' = 'connected') => ({ id: 'srv-1', name: 'S', status: { state } }) as unknown as ServerView;
const task = (over: Partial<TaskView> = {}): TaskView => ({
  serverId: 'srv-1',
  taskId: 'task-1',
  shape: '2025-11-25',
  tool: 'slow',
  status: 'working',
  statusMessage: 'poll 1 of 3',
  createdAt: 1,
  updatedAt: 1,
  pollIntervalMs: 1000,
  ...over,
});

describe('TasksPanel', () => {
  it('says what to do when there are no tasks', async () => {
    fakeApi.use({ listTasks: () => ({ tasks: [] }) });
    render(<TasksPanel server={server()} />);
    expect(await screen.findByText(/No tasks yet/)).toBeTruthy();
  });

  it('lists tasks, follows their events, cancels a running one and shows the result of a completed one', async () => {
    fakeApi.use({ listTasks: () => ({ tasks: [task()] }), cancelTask: () => ({ ok: true }) });
    render(<TasksPanel server={server()} />);
    const item = await screen.findByRole('listitem', { name: 'Task slow task-1' });
    expect(within(item).getByTestId('task-status').textContent).toBe('Working');
    expect(within(item).getByTestId('task-message').textContent).toBe('poll 1 of 3');
    fireEvent.click(within(item).getByRole('button', { name: 'Cancel task' }));
    await act(async () => undefined);
    expect(fakeApi.requests('cancelTask')).toEqual([{ serverId: 'srv-1', taskId: 'task-1' }]);

    act(() =>
      fakeApi.emit('taskChanged', { task: task({ status: 'completed', statusMessage: 'done', result: { content: [{ type: 'text', text: 'all done' }] } }) }),
    );
    const done = screen.getByRole('listitem', { name: 'Task slow task-1' });
    expect(within(done).getByTestId('task-status').textContent).toBe('Completed');
    expect(within(done).getByRole('region', { name: 'Task result' }).textContent).toContain('all done');
    expect(within(done).queryByRole('button', { name: 'Cancel task' })).toBeNull();
    // Another server's task does not show here.
    act(() => fakeApi.emit('taskChanged', { task: task({ serverId: 'srv-2', taskId: 'other' }) }));
    expect(screen.queryByRole('listitem', { name: 'Task slow other' })).toBeNull();
  });
});
