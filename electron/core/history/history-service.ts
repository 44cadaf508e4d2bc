import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { z } from 'zod';
import type { HistoryQueryRequest } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { Batcher, Throttle } from '../batching';
import type { Emit } from '../events';
import type { KnownSecrets } from '../traffic';
import { HistoryStore } from './history-store';
import type { HistoryRecordInput } from './record';

// The history feature: tool calls queue their record here and get its id at
// once; the append (redaction, indexing) runs in batches when no call is in
// flight, so it never sits between a server's answer and the caller. Every
// read drains the queue first, so a caller never misses its own call.

export const HISTORY_DIR = 'history';
const EVENT_THROTTLE_MS = 150;

export interface HistoryDeps {
  emit: Emit;
  dataDir: string;
  /** True while tool calls are in flight (recording waits for a quiet moment). */
  busy: () => boolean;
  /** Overrides for tests. */
  historyDir?: string;
  /** Secret values injected into each server, scrubbed from its history. */
  secrets?: KnownSecrets;
}

export class HistoryService {
  readonly store: HistoryStore;
  private readonly ready: Promise<void>;
  /** Until the store has opened (or failed to), batches wait for it. */
  private opening = true;
  private problem?: Error;
  private readonly queue: Batcher<HistoryRecordInput>;
  private appended = 0;
  private readonly appendedEvent: Throttle;

  constructor(deps: HistoryDeps) {
    this.store = new HistoryStore({
      dir: deps.historyDir ?? join(deps.dataDir, HISTORY_DIR),
      onError: (error) => (this.problem = error),
      secrets: deps.secrets,
    });
    this.ready = this.store
      .open()
      .catch((error: Error) => void (this.problem = error))
      .finally(() => (this.opening = false));
    this.queue = new Batcher({ drain: (items) => this.append(items), busy: deps.busy, delayMs: 50 });
    this.appendedEvent = new Throttle(() => {
      const count = this.appended;
      this.appended = 0;
      deps.emit('historyAppended', { count, total: this.store.size });
    }, EVENT_THROTTLE_MS);
    this.store.onAppend(() => {
      this.appended++;
      this.appendedEvent.poke();
    });
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** Queues the record and returns its id. Takes the object over (it gets the id; no copy on the call path). */
  record(input: Omit<HistoryRecordInput, 'id'>): string {
    const record = input as HistoryRecordInput;
    record.id = randomUUID();
    this.queue.push(record);
    return record.id;
  }

  private append(items: HistoryRecordInput[]): void {
    // Before the store has opened, the batch waits for it (reads await `ready` after draining).
    if (this.opening) return void this.ready.then(() => this.append(items));
    for (const input of items) {
      try {
        this.store.append(input);
      } catch (error) {
        this.problem = error as Error;
      }
    }
  }

  private async drained(): Promise<void> {
    this.queue.flush();
    await this.ready;
  }

  async query(q: z.output<typeof HistoryQueryRequest>) {
    await this.drained();
    const page = this.store.query({
      text: q.text || undefined,
      serverId: q.serverId || undefined,
      tool: q.tool || undefined,
      status: q.status,
      client: q.client,
      offset: q.offset,
      limit: q.limit,
    });
    return { total: page.total, records: page.records };
  }

  async get(id: string) {
    await this.drained();
    const record = await this.store.get(id);
    if (!record) throw new IpcError('NOT_FOUND', 'This history record no longer exists.');
    return record;
  }

  async facets() {
    await this.drained();
    return this.store.facets();
  }

  async exportAll(): Promise<{ json: string; count: number }> {
    await this.drained();
    return { json: await this.store.exportJson(), count: this.store.size };
  }

  /** Why history is not being kept, if it is not (shown by the app). */
  historyProblem(): Error | undefined {
    return this.problem;
  }

  async close(): Promise<void> {
    this.appendedEvent.stop();
    await this.drained();
    await this.store.close().catch(() => undefined);
  }
}
