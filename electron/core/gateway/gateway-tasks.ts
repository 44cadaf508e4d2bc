import type { TaskView } from '../../../shared/contract';

// A tool call that became a task upstream: the gateway waits for the task (the
// tasks feature follows it, as for any call) and answers the downstream call
// with its result, plainly. A downstream cancellation cancels the task.

export interface TaskPort {
  watch(listener: (task: TaskView) => void): () => void;
  list(serverId: string): TaskView[];
  cancel(serverId: string, taskId: string): Promise<void>;
}

export type TaskOutcome = { result: Record<string, unknown> } | { error: { code?: number | string; message: string } };

function outcomeOf(task: TaskView): TaskOutcome | undefined {
  if (task.status === 'completed') {
    if (task.result) return { result: task.result as Record<string, unknown> };
    return task.error ? { error: task.error } : undefined; // the result is still being fetched
  }
  if (task.status === 'failed') return { error: task.error ?? { message: task.statusMessage ?? 'The task failed.' } };
  if (task.status === 'cancelled') return { error: { message: task.statusMessage ?? 'The task was cancelled.' } };
  return undefined;
}

export function waitForTask(tasks: TaskPort, serverId: string, taskId: string, signal: AbortSignal): Promise<TaskOutcome> {
  return new Promise((resolve, reject) => {
    let stop = () => undefined as unknown;
    const finish = (outcome: TaskOutcome) => {
      stop();
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      stop();
      void tasks.cancel(serverId, taskId).catch(() => undefined);
      reject(new Error(String(signal.reason ?? 'Cancelled by the client.')));
    };
    stop = tasks.watch((task) => {
      if (task.serverId !== serverId || task.taskId !== taskId) return;
      const outcome = outcomeOf(task);
      if (outcome) finish(outcome);
    });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return onAbort();
    const now = tasks.list(serverId).find((t) => t.taskId === taskId);
    const outcome = now && outcomeOf(now);
    if (outcome) finish(outcome);
  });
}
