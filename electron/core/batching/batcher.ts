// Deferred bookkeeping (history appends, traffic redaction) runs when no call
// is in flight, so it never competes with them: a burst of a thousand calls is
// answered first and recorded right after. Bounded: the batch runs anyway once
// it has waited `maxDelayMs` or the queue has grown past `maxQueued` (checked
// when the timer fires, so a burst pays nothing per item for the bound).

export interface BatcherOptions<T> {
  /** Handles one batch, oldest first. */
  drain: (items: T[]) => void;
  /** True while calls are in flight. */
  busy?: () => boolean;
  delayMs?: number;
  maxDelayMs?: number;
  maxQueued?: number;
}

export class Batcher<T> {
  private items: T[] = [];
  private timer?: NodeJS.Timeout;
  private since = 0;
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxQueued: number;

  constructor(private readonly options: BatcherOptions<T>) {
    this.delayMs = options.delayMs ?? 25;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.maxQueued = options.maxQueued ?? 5000;
  }

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.schedule();
  }

  /** Handles everything queued now (reads call this so they never miss anything). */
  flush(): void {
    this.cancel();
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.options.drain(items);
  }

  /** Stops the timer; queued items stay until the next push or flush. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.since = 0;
  }

  private schedule(): void {
    if (this.timer) return;
    if (!this.since) this.since = Date.now();
    this.timer = setTimeout(() => this.fire(), this.items.length >= this.maxQueued ? 0 : this.delayMs);
    this.timer.unref?.();
  }

  private fire(): void {
    this.timer = undefined;
    const waited = Date.now() - this.since;
    if (this.options.busy?.() && waited < this.maxDelayMs && this.items.length < this.maxQueued) return this.schedule();
    this.flush();
  }
}

/**
 * Coalesces a stream of changes into at most one `fire` per `delayMs`; the
 * caller keeps what changed and `fire` sends it (one event instead of one per item).
 */
export class Throttle {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly fire: () => void,
    private readonly delayMs = 150,
  ) {}

  poke(): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.delayMs);
  }

  /** No more fires, ever (shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
