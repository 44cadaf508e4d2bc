import { ProtocolError, type Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { CallStatus, TaskShape, TaskStatus, TaskView, ToolView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import type { ClientRequests } from '../client-features';
import type { Emit } from '../events';
import type { KeyValueStore } from '../ports';
import type { ServerManager } from '../servers';
import type { CallRecord, ToolTaskHooks } from '../tools';
import { ALIAS_PREFIX, TASK_RESULT_META } from './task-transport';
import { MAX_TASKS_PER_SERVER, TaskStore, type StoredTask } from './task-store';
import { answerInputRequest } from './input-requests';
import { DEFAULT_TTL_MS, REQUEST_TIMEOUT_MS, RESULT_TIMEOUT_MS, STATUSES, TERMINAL, clampPoll, safeSize, str, wireError, type Wire } from './task-wire';

export { TASKS_EXTENSION, MIN_POLL_MS, MAX_POLL_MS, clampPoll } from './task-wire';

const Loose = z.looseObject({});

// Tasks: created by a tool call (ToolTaskHooks), polled at the server's
// interval (clamped), cancelled, their result fetched when they end, input
// answered in the request dialogs, kept across reconnects and restarts, and
// recorded in history when they end. Two wire shapes:
// - 2025-11-25: tools/call with `task: {ttl}`; tasks/get; tasks/result (blocks;
//   the server's related-task requests arrive while it is pending and reach the
//   usual dialogs); tasks/cancel. Sent with the SDK's explicit-schema request.
// - 2026-07-28 extension: the server returns `resultType: "task"`; tasks/get
//   carries the result inline and `inputRequests`; tasks/update carries the
//   answers; tasks/cancel. Sent under the alias task-transport.ts renames.

interface Live {
  task: StoredTask;
  result?: Record<string, unknown>;
  error?: { code?: number | string; message: string };
  timer?: ReturnType<typeof setTimeout>;
  polling: boolean;
  /** 2025: a tasks/result request is pending. */
  awaitingResult: boolean;
  /** 2026: input request keys being answered. */
  answering: Set<string>;
  abort: AbortController;
}

export interface TaskServiceDeps {
  servers: () => ServerManager;
  store: KeyValueStore;
  emit: Emit;
  requests: ClientRequests;
  record: (call: CallRecord) => string;
  serverName: (serverId: string) => string;
  now: () => number;
}

export class TaskService implements ToolTaskHooks {
  private readonly byServer = new Map<string, Map<string, Live>>();
  private readonly stored: TaskStore;
  private closed = false;
  private readonly watchers = new Set<(task: TaskView) => void>();

  constructor(private readonly deps: TaskServiceDeps) {
    this.stored = new TaskStore(deps.store, deps.now);
  }

  // ---- ToolTaskHooks (called by tool calls) -------------------------------

  taskParams(serverId: string, tool: ToolView | undefined, asTask: boolean): Record<string, unknown> | undefined {
    const client = this.deps.servers().client(serverId);
    if (client.getProtocolEra() === 'modern') return undefined; // the server decides
    const caps = client.getServerCapabilities() as { tasks?: { requests?: { tools?: { call?: unknown } } } } | undefined;
    if (!caps?.tasks?.requests?.tools?.call) return undefined;
    const support = tool?.taskSupport;
    if (support === 'required' || (support === 'optional' && asTask)) return { task: { ttl: DEFAULT_TTL_MS } };
    return undefined;
  }

  adopt(
    serverId: string,
    result: Record<string, unknown>,
    call: { tool: string; arguments: unknown; createdBy: () => string },
  ): { taskId: string } | undefined {
    const modern = (result._meta as Wire | undefined)?.[TASK_RESULT_META];
    const wire = (modern && typeof modern === 'object' ? modern : result.task) as Wire | undefined;
    const taskId = wire?.taskId;
    // An id we cannot keep whole is no id: the call is shown as the server answered it.
    if (!wire || typeof taskId !== 'string' || taskId.length === 0 || taskId.length > 200) return undefined;
    const shape: TaskShape = modern ? '2026-07-28' : '2025-11-25';
    const now = this.deps.now();
    const args = safeSize(call.arguments);
    const task: StoredTask = {
      taskId,
      shape,
      tool: call.tool,
      status: STATUSES.has(String(wire.status)) ? (wire.status as TaskStatus) : 'working',
      statusMessage: str(wire.statusMessage),
      createdAt: now,
      updatedAt: now,
      pollIntervalMs: clampPoll(shape === '2026-07-28' ? wire.pollIntervalMs : wire.pollInterval),
      ttlMs: typeof (wire.ttlMs ?? wire.ttl) === 'number' ? ((wire.ttlMs ?? wire.ttl) as number) : undefined,
      createdBy: call.createdBy(),
      ...(args !== undefined ? { arguments: args } : {}),
    };
    const live = this.track(serverId, task);
    this.bound(serverId);
    this.persist(serverId);
    this.changed(serverId, live);
    this.schedule(serverId, live, 0);
    return { taskId };
  }

  // ---- IPC -----------------------------------------------------------------

  list(serverId: string): TaskView[] {
    this.loadStored(serverId);
    return [...(this.byServer.get(serverId)?.values() ?? [])].map((l) => this.view(serverId, l)).sort((a, b) => b.createdAt - a.createdAt);
  }

  async cancel(serverId: string, taskId: string): Promise<void> {
    const live = this.get(serverId, taskId);
    if (TERMINAL.has(live.task.status)) return;
    const client = this.deps.servers().client(serverId);
    const method = live.task.shape === '2026-07-28' ? `${ALIAS_PREFIX}cancel` : 'tasks/cancel';
    const answer = (await client.request({ method, params: { taskId } }, Loose, { timeout: REQUEST_TIMEOUT_MS })) as Wire;
    // 2025 answers with the task; 2026 with an empty ack (the next tasks/get shows it).
    if (STATUSES.has(String(answer.status))) this.apply(serverId, live, answer);
    else this.schedule(serverId, live, 0);
  }

  dismiss(serverId: string, taskId: string): void {
    const live = this.get(serverId, taskId);
    if (!TERMINAL.has(live.task.status)) throw new IpcError('CONFLICT', 'This task is still running. Cancel it first.');
    this.stop(live);
    this.byServer.get(serverId)!.delete(taskId);
    this.persist(serverId);
    this.deps.emit('taskRemoved', { serverId, taskId });
  }

  /** 2025 notifications/tasks/status: the snapshot is applied and the task polled at once (which fetches a result). */
  onStatus(serverId: string, params: Record<string, unknown>): void {
    const live = typeof params.taskId === 'string' ? this.byServer.get(serverId)?.get(params.taskId) : undefined;
    if (!live || live.task.shape !== '2025-11-25' || TERMINAL.has(live.task.status)) return;
    this.apply(serverId, live, params);
    this.schedule(serverId, live, 0);
  }

  // ---- lifecycle -----------------------------------------------------------

  /** A server connected: its stored tasks are loaded and the running ones polled again. */
  onConnected(serverId: string): void {
    this.loadStored(serverId);
    for (const live of this.byServer.get(serverId)?.values() ?? []) {
      live.awaitingResult = false;
      live.answering.clear();
      if (!TERMINAL.has(live.task.status) || (live.task.status === 'completed' && !live.result && live.task.shape === '2025-11-25'))
        this.schedule(serverId, live, 0);
    }
  }

  forget(serverId: string): void {
    for (const live of this.byServer.get(serverId)?.values() ?? []) this.stop(live);
    this.byServer.delete(serverId);
    this.stored.forget(serverId);
  }

  close(): void {
    this.closed = true;
    for (const tasks of this.byServer.values()) for (const live of tasks.values()) this.stop(live);
  }

  // ---- polling -------------------------------------------------------------

  private schedule(serverId: string, live: Live, delay: number): void {
    if (this.closed) return;
    clearTimeout(live.timer);
    live.timer = setTimeout(() => void this.poll(serverId, live), delay);
  }

  private async poll(serverId: string, live: Live): Promise<void> {
    if (live.polling || this.closed) return;
    let client: Client;
    try {
      client = this.deps.servers().client(serverId);
    } catch {
      return; // Not connected: resumed by onConnected.
    }
    live.polling = true;
    const { taskId, shape } = live.task;
    try {
      const method = shape === '2026-07-28' ? `${ALIAS_PREFIX}get` : 'tasks/get';
      const answer = (await client.request({ method, params: { taskId } }, Loose, { timeout: REQUEST_TIMEOUT_MS, signal: live.abort.signal })) as Wire;
      this.apply(serverId, live, answer);
      if (shape === '2025-11-25' && !live.result && (live.task.status === 'input_required' || live.task.status === 'completed'))
        this.awaitResult(serverId, client, live);
      if (shape === '2026-07-28' && live.task.status === 'input_required') this.answerInputs(serverId, client, live, answer.inputRequests);
    } catch (error) {
      if (live.abort.signal.aborted) return;
      if (error instanceof ProtocolError && error.code === -32602) {
        // The server does not know the task (expired, or it restarted).
        live.task.status = 'failed';
        live.error = { code: error.code, message: 'The server no longer knows this task.' };
        this.end(serverId, live);
        return;
      }
      if (!this.isConnected(serverId)) return;
      live.error = { code: error instanceof ProtocolError ? error.code : undefined, message: `Polling failed: ${(error as Error).message}` };
      this.changed(serverId, live);
    } finally {
      live.polling = false;
    }
    if (!TERMINAL.has(live.task.status)) this.schedule(serverId, live, live.task.pollIntervalMs);
  }

  /** Applies a task snapshot (tasks/get, tasks/cancel, a notification). */
  private apply(serverId: string, live: Live, wire: Wire): void {
    const before = live.task.status;
    if (STATUSES.has(String(wire.status))) live.task.status = wire.status as TaskStatus;
    live.task.statusMessage = str(wire.statusMessage);
    live.task.pollIntervalMs = clampPoll(live.task.shape === '2026-07-28' ? wire.pollIntervalMs : wire.pollInterval);
    live.task.updatedAt = this.deps.now();
    if (live.error?.message.startsWith('Polling failed')) live.error = undefined;
    if (live.task.shape === '2026-07-28') {
      if (wire.result && typeof wire.result === 'object') live.result = wire.result as Record<string, unknown>;
      if (wire.error && typeof wire.error === 'object') live.error = wireError(wire.error as Wire);
    }
    const needsResult = live.task.shape === '2025-11-25' && live.task.status === 'completed' && !live.result;
    if (TERMINAL.has(live.task.status) && !TERMINAL.has(before) && !needsResult) this.end(serverId, live);
    else {
      this.persist(serverId);
      this.changed(serverId, live);
    }
  }

  /** 2025: tasks/result blocks until the task ends; requests tagged with its id meanwhile go to the dialogs. */
  private awaitResult(serverId: string, client: Client, live: Live): void {
    if (live.awaitingResult) return;
    live.awaitingResult = true;
    const { taskId } = live.task;
    client.request({ method: 'tasks/result', params: { taskId } }, Loose, { timeout: RESULT_TIMEOUT_MS, signal: live.abort.signal }).then(
      (result) => {
        live.awaitingResult = false;
        const { _meta, ...rest } = result as Wire;
        live.result = { ...rest, ...(_meta ? { _meta } : {}) };
        if (live.task.status !== 'cancelled' && live.task.status !== 'failed') live.task.status = 'completed';
        this.end(serverId, live);
      },
      (error: Error) => {
        live.awaitingResult = false;
        if (live.abort.signal.aborted || !this.isConnected(serverId)) return;
        live.error = { code: error instanceof ProtocolError ? error.code : undefined, message: error.message };
        this.schedule(serverId, live, live.task.pollIntervalMs);
      },
    );
  }

  /** 2026: each pending input request goes to the dialogs; the answers go back in tasks/update. */
  private answerInputs(serverId: string, client: Client, live: Live, inputRequests: unknown): void {
    if (!inputRequests || typeof inputRequests !== 'object') return;
    for (const [key, request] of Object.entries(inputRequests as Wire).slice(0, 10)) {
      if (live.answering.has(key)) continue;
      live.answering.add(key);
      this.changed(serverId, live);
      answerInputRequest(this.deps.requests, serverId, live.abort.signal, request)
        .then((answer) =>
          client.request({ method: `${ALIAS_PREFIX}update`, params: { taskId: live.task.taskId, inputResponses: { [key]: answer } } }, Loose, {
            timeout: REQUEST_TIMEOUT_MS,
          }),
        )
        .then(
          () => this.schedule(serverId, live, 0),
          (error: Error) => {
            if (live.abort.signal.aborted) return;
            live.error = { message: `Answering the server failed: ${error.message}` };
            this.changed(serverId, live);
          },
        )
        .finally(() => live.answering.delete(key));
    }
  }

  private end(serverId: string, live: Live): void {
    clearTimeout(live.timer);
    if (live.answering.size) {
      // A dialog still open for this task closes: nothing waits for its answer any more.
      live.abort.abort('The task ended.');
      live.abort = new AbortController();
      live.answering.clear();
    }
    if (!live.task.historyId) {
      const status: CallStatus =
        live.task.status === 'cancelled' ? 'cancelled' : live.task.status === 'failed' ? 'error' : live.result?.isError === true ? 'tool-error' : 'ok';
      live.task.historyId = this.deps.record({
        serverId,
        serverName: this.deps.serverName(serverId),
        tool: live.task.tool,
        arguments: live.task.arguments ?? {},
        result: live.result,
        error:
          live.error ??
          (status === 'error' ? { message: live.task.statusMessage ?? 'The task failed.' } : status === 'cancelled' ? { message: 'Cancelled.' } : undefined),
        status,
        startedAt: live.task.createdAt,
        durationMs: Math.max(0, this.deps.now() - live.task.createdAt),
        task: { taskId: live.task.taskId, createdBy: live.task.createdBy },
      });
    }
    this.persist(serverId);
    this.changed(serverId, live);
  }

  // ---- state -----------------------------------------------------------------

  private track(serverId: string, task: StoredTask): Live {
    let tasks = this.byServer.get(serverId);
    if (!tasks) this.byServer.set(serverId, (tasks = new Map()));
    const existing = tasks.get(task.taskId);
    if (existing) this.stop(existing);
    const live: Live = { task, polling: false, awaitingResult: false, answering: new Set(), abort: new AbortController() };
    tasks.set(task.taskId, live);
    return live;
  }

  /** At most MAX_TASKS_PER_SERVER followed per server: the oldest ended ones go first, then the oldest running ones stop being polled. */
  private bound(serverId: string): void {
    const tasks = this.byServer.get(serverId);
    if (!tasks || tasks.size <= MAX_TASKS_PER_SERVER) return;
    const oldestFirst = [...tasks.values()].sort(
      (a, b) => Number(!TERMINAL.has(a.task.status)) - Number(!TERMINAL.has(b.task.status)) || a.task.createdAt - b.task.createdAt,
    );
    for (const live of oldestFirst.slice(0, tasks.size - MAX_TASKS_PER_SERVER)) {
      this.stop(live);
      tasks.delete(live.task.taskId);
      this.deps.emit('taskRemoved', { serverId, taskId: live.task.taskId });
    }
  }

  private loadStored(serverId: string): void {
    if (this.byServer.has(serverId)) return;
    this.byServer.set(serverId, new Map());
    for (const task of this.stored.load(serverId)) this.track(serverId, task);
  }

  private get(serverId: string, taskId: string): Live {
    this.loadStored(serverId);
    const live = this.byServer.get(serverId)?.get(taskId);
    if (!live) throw new IpcError('NOT_FOUND', 'This task is no longer listed.');
    return live;
  }

  private persist(serverId: string): void {
    this.stored.save(
      serverId,
      [...(this.byServer.get(serverId)?.values() ?? [])].map((l) => l.task),
    );
  }

  private stop(live: Live): void {
    clearTimeout(live.timer);
    live.abort.abort('Stopped.');
    live.abort = new AbortController();
  }

  private isConnected(serverId: string): boolean {
    try {
      this.deps.servers().client(serverId);
      return true;
    } catch {
      return false;
    }
  }

  private changed(serverId: string, live: Live): void {
    const task = this.view(serverId, live);
    this.deps.emit('taskChanged', { task });
    for (const watcher of this.watchers) watcher(task);
  }

  /** Every change of a task, inside the core (the gateway waits on the tasks its calls created). Returns the unsubscribe. */
  watch(listener: (task: TaskView) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private view(serverId: string, live: Live): TaskView {
    const t = live.task;
    return {
      serverId,
      taskId: t.taskId,
      shape: t.shape,
      tool: t.tool,
      status: t.status,
      statusMessage: t.statusMessage,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      pollIntervalMs: t.pollIntervalMs,
      result: live.result,
      error: live.error,
      createdBy: t.createdBy,
      historyId: t.historyId,
      waitingForInput: live.answering.size > 0 || (t.status === 'input_required' && live.awaitingResult) || undefined,
    };
  }
}
