export { TaskService, clampPoll, MIN_POLL_MS, MAX_POLL_MS, TASKS_EXTENSION, type TaskServiceDeps } from './task-service';
export { TaskStore, MAX_TASKS_PER_SERVER } from './task-store';
export { tasksTransport } from './task-transport';
export { tasksHandlers } from './handlers';
