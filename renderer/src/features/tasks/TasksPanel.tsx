import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage, type HistoryRecordView, type ServerView, type TaskView } from '../../api';
import { ContentBlocks } from '../../components/ContentBlocks';
import { prettyJson } from '../../components/download';
import { ErrorNote } from '../../components/ErrorNote';

// The tasks a server runs for us: status and message as polled, Cancel while it
// runs, the result once it completed, and the history records it left.

const STATUS_LABEL: Record<TaskView['status'], string> = {
  working: 'Working',
  input_required: 'Needs your input',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const ENDED = new Set<TaskView['status']>(['completed', 'failed', 'cancelled']);

export function TasksPanel({ server }: { server: ServerView }) {
  const serverId = server.id;
  const [tasks, setTasks] = useState<TaskView[]>([]);
  const [error, setError] = useState<string>();
  const load = useCallback(async () => {
    try {
      setTasks((await api.listTasks({ serverId })).tasks);
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [serverId]);
  useEffect(() => {
    void load();
    const offChanged = api.onTaskChanged(({ task }) => {
      if (task.serverId !== serverId) return;
      setTasks((list) => {
        const rest = list.filter((t) => t.taskId !== task.taskId);
        return [task, ...rest].sort((a, b) => b.createdAt - a.createdAt);
      });
    });
    const offRemoved = api.onTaskRemoved(({ serverId: sid, taskId }) => {
      if (sid === serverId) setTasks((list) => list.filter((t) => t.taskId !== taskId));
    });
    return () => {
      offChanged();
      offRemoved();
    };
  }, [serverId, load]);

  return (
    <section aria-label="Tasks" className="tasks-panel">
      <ErrorNote message={error} />
      {server.status.state !== 'connected' && tasks.some((t) => !ENDED.has(t.status)) && (
        <p className="note">Not connected: these tasks are polled again when the server connects.</p>
      )}
      {tasks.length === 0 ? (
        <p className="empty">No tasks yet. A tool that runs as a task (Tools tab: “Run as task”, or a tool the server always runs as one) shows up here.</p>
      ) : (
        <ul className="plain" aria-label="Task list">
          {tasks.map((task) => (
            <TaskItem key={task.taskId} task={task} connected={server.status.state === 'connected'} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskItem({ task, connected }: { task: TaskView; connected: boolean }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [record, setRecord] = useState<HistoryRecordView>();
  const ended = ENDED.has(task.status);
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const result = task.result;
  return (
    <li className="task-item" aria-label={`Task ${task.tool} ${task.taskId}`}>
      <p>
        <code>{task.tool}</code>{' '}
        <span className={`h-status status-${task.status}`} data-testid="task-status">
          {STATUS_LABEL[task.status]}
        </span>{' '}
        {task.statusMessage && <span data-testid="task-message">{task.statusMessage}</span>}
      </p>
      <p className="hint">
        Task <code>{task.taskId}</code> · {task.shape === '2026-07-28' ? 'tasks extension (2026-07-28)' : 'tasks (2025-11-25)'} · started{' '}
        {new Date(task.createdAt).toLocaleTimeString()}
        {!ended && ` · polled every ${(task.pollIntervalMs / 1000).toFixed(task.pollIntervalMs < 1000 ? 2 : 0)} s`}
      </p>
      {task.status === 'input_required' && <p className="note">The server asks for input: answer it in the request dialog.</p>}
      {task.error && (
        <div className="error-note" role="alert">
          {task.error.code !== undefined && <strong>{String(task.error.code)}: </strong>}
          {task.error.message}
        </div>
      )}
      {result && (
        <section aria-label="Task result">
          <h4>Result</h4>
          {result.isError === true && <p className="note">The tool ran and returned isError: true.</p>}
          <ContentBlocks blocks={result.content} />
          {result.structuredContent !== undefined && <pre className="block-json">{prettyJson(result.structuredContent)}</pre>}
        </section>
      )}
      <ErrorNote message={error} />
      <div className="actions">
        {!ended && (
          <button
            type="button"
            className="danger"
            disabled={busy || !connected}
            onClick={() => void act(() => api.cancelTask({ serverId: task.serverId, taskId: task.taskId }))}
          >
            Cancel task
          </button>
        )}
        {task.historyId && (
          <button type="button" onClick={() => void act(async () => setRecord((await api.getHistoryRecord({ id: task.historyId! })).record))}>
            Show history record
          </button>
        )}
        {ended && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.dismissTask({ serverId: task.serverId, taskId: task.taskId }))}>
            Dismiss
          </button>
        )}
      </div>
      {record && (
        <section aria-label="History record" className="note">
          <p>
            History record <code>{record.id}</code>: <span data-testid="task-record-status">{record.status}</span>, {record.durationMs.toFixed(0)} ms
            {record.task?.createdBy && (
              <>
                {' '}
                · created by the call recorded as <code>{record.task.createdBy}</code>
              </>
            )}
          </p>
        </section>
      )}
    </li>
  );
}
