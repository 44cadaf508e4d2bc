// Runs deferred bookkeeping (history appends, traffic redaction) when the
// inspector is idle, so it never competes with calls in flight: a burst of a
// thousand calls is answered first and recorded right after. Bounded: the work
// runs anyway once it has waited `maxDelayMs` or the queue grows past `maxQueued`.

export interface IdleDrainOptions {
  /** Work to run; it empties the queue. */
  drain: () => void;
  /** How many items wait. */
  queued: () => number;
  /** True while calls are in flight. */
  busy: () => boolean;
  delayMs?: number;
  maxDelayMs?: number;
  maxQueued?: number;
}

export class IdleDrain {
  private timer?: NodeJS.Timeout;
  private since = 0;
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxQueued: number;

  constructor(private readonly options: IdleDrainOptions) {
    this.delayMs = options.delayMs ?? 25;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
    this.maxQueued = options.maxQueued ?? 5000;
  }

  /** Call after queueing an item. */
  schedule(): void {
    if (this.timer) return;
    if (!this.since) this.since = Date.now();
    const overdue = this.options.queued() >= this.maxQueued;
    this.timer = setTimeout(() => this.fire(), overdue ? 0 : this.delayMs);
    this.timer.unref?.();
  }

  /** Runs the work now (reads call this so they never miss anything). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.since = 0;
    this.options.drain();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.since = 0;
  }

  private fire(): void {
    this.timer = undefined;
    const waited = Date.now() - this.since;
    if (this.options.busy() && waited < this.maxDelayMs && this.options.queued() < this.maxQueued) return this.schedule();
    this.flush();
  }
}
