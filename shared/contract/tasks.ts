import { z } from 'zod';
import { event, method } from './define';
import { ByServer, Ok, OpaqueObject } from './json';
import { ServerId } from './servers';

// Tasks: a tool call the server runs on its own time. Two shapes on the wire,
// one view here: the 2025-11-25 tasks utility (the client asks for a task with
// `task: {ttl}`; tasks/get, tasks/result, tasks/cancel) and the 2026-07-28
// `io.modelcontextprotocol/tasks` extension (the server decides; tasks/get
// carries the result inline; tasks/update carries input).

export const TaskId = z.string().min(1).max(200);

export const TaskStatus = z.enum(['working', 'input_required', 'completed', 'failed', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const TaskShape = z.enum(['2025-11-25', '2026-07-28']);
export type TaskShape = z.infer<typeof TaskShape>;

export const TaskView = z.object({
  serverId: z.string(),
  taskId: z.string(),
  shape: TaskShape,
  tool: z.string(),
  status: TaskStatus,
  statusMessage: z.string().optional(),
  /** Epoch ms when this client learnt of the task. */
  createdAt: z.number(),
  updatedAt: z.number(),
  /** The interval this client polls at: the server's suggestion, clamped. */
  pollIntervalMs: z.number(),
  /** The tool result once the task completed (a CallToolResult as the server sent it). */
  result: OpaqueObject.optional(),
  /** Why the task failed, or why polling it failed. */
  error: z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string() }).optional(),
  /** The history record of the tools/call that created the task. */
  createdBy: z.string().optional(),
  /** The task's own history record, written when it ended. */
  historyId: z.string().optional(),
  /** The server is waiting for an answer in the request dialog. */
  waitingForInput: z.boolean().optional(),
});
export type TaskView = z.infer<typeof TaskView>;

const OneTask = z.object({ serverId: ServerId, taskId: TaskId });

export const tasksMethods = {
  listTasks: method(ByServer, z.object({ tasks: z.array(TaskView) })),
  cancelTask: method(OneTask, Ok),
  /** Forgets an ended task (its history record stays). */
  dismissTask: method(OneTask, Ok),
};

export const tasksEvents = {
  taskChanged: event(z.object({ task: TaskView })),
  taskRemoved: event(z.object({ serverId: z.string(), taskId: z.string() })),
};
