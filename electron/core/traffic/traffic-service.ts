import type { Transport } from '@modelcontextprotocol/client';
import { Batcher, Throttle } from '../batching';
import type { Emit } from '../events';
import type { KnownSecrets } from './known-secrets';
import { wrapTransport as recordTransport } from './recording-transport';
import { TrafficRecorder, type HttpExchange, type TrafficListOptions } from './traffic-recorder';

// The traffic feature: messages observed on stdio transports are stamped with
// their time on the call path and recorded (redacted, paired, stored) in
// batches when no call is in flight. Every read drains the queue first.

const EVENT_THROTTLE_MS = 150;

/** A JSON-RPC message seen on a transport (direction in/out), or an HTTP exchange (recorded, redacted, in the same order). */
type Queued =
  [serverId: string, direction: 'in' | 'out', message: unknown, ts: number] | [serverId: string, direction: 'http', exchange: HttpExchange, ts: number];

export interface TrafficDeps {
  emit: Emit;
  /** True while tool calls are in flight (recording waits for a quiet moment). */
  busy: () => boolean;
  now?: () => number;
  /** Secret values injected into each server, scrubbed from its traffic. */
  secrets?: KnownSecrets;
}

export class TrafficService {
  readonly recorder: TrafficRecorder;
  private readonly now: () => number;
  private readonly queue: Batcher<Queued>;
  private readonly lastSeq = new Map<string, number>();
  private readonly appendedEvent: Throttle;

  constructor(deps: TrafficDeps) {
    this.now = deps.now ?? Date.now;
    this.recorder = new TrafficRecorder({ secrets: deps.secrets });
    this.queue = new Batcher({ drain: (items) => this.recordAll(items), busy: deps.busy });
    this.appendedEvent = new Throttle(() => {
      const servers = [...this.lastSeq].map(([serverId, lastSeq]) => ({ serverId, lastSeq }));
      this.lastSeq.clear();
      deps.emit('trafficAppended', { servers });
    }, EVENT_THROTTLE_MS);
    this.recorder.onEntry((entry) => {
      this.lastSeq.set(entry.serverId, entry.seq);
      this.appendedEvent.poke();
    });
  }

  /** Queues one observed message; `ts` is when it was seen. */
  enqueue(serverId: string, direction: 'in' | 'out', message: unknown, ts: number): void {
    this.queue.push([serverId, direction, message, ts]);
  }

  /** A transport that reports every message it carries to the queue. */
  wrapTransport(serverId: string, transport: Transport): Transport {
    return recordTransport(transport, (direction, message) => this.enqueue(serverId, direction, message, this.now()));
  }

  /** Recorded at once (the caller drains first, so earlier messages stay listed before it). */
  recordHttp(serverId: string, exchange: HttpExchange): void {
    this.recorder.recordHttp(serverId, exchange);
  }

  /**
   * Queues an HTTP exchange behind the messages seen before it: it is redacted and stored in the
   * next batch, off the call path, like the messages (every read drains first, so nothing unredacted
   * is ever listed). Its start time is fixed now.
   */
  enqueueHttp(serverId: string, exchange: HttpExchange): void {
    this.queue.push([serverId, 'http', exchange, exchange.ts ?? this.now() - exchange.durationMs]);
  }

  /** Records everything queued; every read calls it first. */
  drain(): void {
    this.queue.flush();
  }

  list(serverId: string, options: TrafficListOptions = {}) {
    this.drain();
    return this.recorder.list(serverId, options);
  }

  forget(serverId: string): void {
    this.drain();
    this.recorder.clear(serverId);
  }

  close(): void {
    this.appendedEvent.stop();
    this.drain();
  }

  private recordAll(items: Queued[]): void {
    for (const item of items) {
      if (item[1] === 'http') this.recorder.recordHttp(item[0], { ...item[2], ts: item[3] });
      else this.recorder.recordMessage(item[0], item[1], item[2], item[3]);
    }
  }
}
