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

type Queued = [serverId: string, direction: 'in' | 'out', message: unknown, ts: number];

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
    for (const [serverId, direction, message, ts] of items) this.recorder.recordMessage(serverId, direction, message, ts);
  }
}
