import type { tasksMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { TaskService } from './task-service';

export function tasksHandlers({ tasks }: { tasks: TaskService }): FeatureHandlers<typeof tasksMethods> {
  return {
    listTasks: ({ serverId }) => ({ tasks: tasks.list(serverId) }),
    cancelTask: async ({ serverId, taskId }) => {
      await tasks.cancel(serverId, taskId);
      return { ok: true as const };
    },
    dismissTask: ({ serverId, taskId }) => {
      tasks.dismiss(serverId, taskId);
      return { ok: true as const };
    },
  };
}
