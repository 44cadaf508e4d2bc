import { randomBytes } from 'node:crypto';

// Questions to a 2026-07-28 downstream client. Such a client is stateless: an upstream's
// elicitation or sampling request during its tool call reaches it as an input_required
// result of that call, and it answers by calling again with inputResponses and the
// requestState it was given (SEP-2322). Meanwhile the upstream call stays parked here,
// running: History keeps one record for the whole exchange, as for any call.
//
// The requestState is an opaque random token, new each round (an old one is dead once
// used), valid only for the client it was given to and the same server and tool. A
// parked call whose client does not come back within ROUND_WAIT_MS is cancelled
// upstream, as is every parked call of a client that is revoked, rotated or has its
// access changed, and all of them when the gateway stops.

/** How long a parked call waits for the client's next round. */
export const ROUND_WAIT_MS = 5 * 60_000;
/** Parked calls per client at most; past it, questions go to Switchboard's dialog. */
export const MAX_PARKED_PER_CLIENT = 16;

export const ROUND_EXPIRED = 'This input round is unknown or has expired (the call was cancelled, or the client took too long to answer). Call the tool again.';

/** One question the upstream asked, keyed in the input_required result. */
interface Question {
  method: string;
  params: Record<string, unknown>;
  answer: (value: unknown) => void;
  fail: (error: unknown) => void;
}

/** What a round waits for: the call's end, or questions for the client. */
export type RoundEvent<R> = { done: true; result: R } | { done: false; questions: Record<string, { method: string; params: Record<string, unknown> }> };

/** An upstream call that may ask the client questions across rounds. `Round`: what the gateway keeps of the round in progress. */
export class ParkedCall<R, Round = unknown> {
  private readonly open = new Map<string, Question>();
  private asked = 0;
  private wake?: () => void;
  private outcome?: { ok: true; result: R } | { ok: false; error: unknown };
  readonly controller = new AbortController();
  /** Called once when the upstream call ends. */
  onSettled?: () => void;

  constructor(
    readonly clientId: string,
    readonly target: string,
    /** The round in progress: its request (progress goes out on it, with its own token) and what it declared. */
    public round: Round,
  ) {}

  /** Fails the open questions the round in progress cannot carry (a retry may declare less than the first request). */
  dropUnsupported(supported: (method: string, params: Record<string, unknown>) => boolean): void {
    for (const [key, question] of this.open) {
      if (supported(question.method, question.params)) continue;
      this.open.delete(key);
      question.fail(new Error('The client no longer declares what this request needs.'));
    }
  }

  /** Runs the upstream call on this parked call's own signal (the rounds' requests come and go). */
  run(call: (signal: AbortSignal) => Promise<R>): void {
    call(this.controller.signal).then(
      (result) => this.settle({ ok: true, result }),
      (error: unknown) => this.settle({ ok: false, error }),
    );
  }

  /** The upstream asks; the promise is the client's answer from a later round. */
  ask(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown> {
    const key = `q${++this.asked}`;
    return new Promise((answer, fail) => {
      const drop = () => {
        this.open.delete(key);
        fail(signal.reason);
      };
      if (signal.aborted) return drop();
      signal.addEventListener('abort', drop, { once: true });
      this.open.set(key, {
        method,
        params,
        answer: (value) => {
          signal.removeEventListener('abort', drop);
          answer(value);
        },
        fail,
      });
      // Questions asked together go out in one round.
      setImmediate(() => this.wake?.());
    });
  }

  /** Hands the client's answers to the questions they name; unanswered ones are asked again. */
  answer(responses: Record<string, unknown> | undefined): void {
    for (const [key, value] of Object.entries(responses ?? {})) {
      const question = this.open.get(key);
      if (!question) continue;
      this.open.delete(key);
      question.answer(value);
    }
  }

  /** Waits for the call to end or to have questions; the round's signal cancels the call upstream. */
  async next(signal: AbortSignal): Promise<RoundEvent<R>> {
    // A round whose request is already gone: nobody will hear the answer.
    if (signal.aborted) {
      this.cancel(signal.reason);
      throw signal.reason;
    }
    const cancel = () => this.cancel(signal.reason);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      for (;;) {
        if (this.outcome) {
          if (this.outcome.ok) return { done: true, result: this.outcome.result };
          throw this.outcome.error;
        }
        if (this.open.size > 0)
          return { done: false, questions: Object.fromEntries([...this.open].map(([key, q]) => [key, { method: q.method, params: q.params }])) };
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.wake = undefined;
      signal.removeEventListener('abort', cancel);
    }
  }

  /** Ends the call upstream; open questions fail. */
  cancel(reason: unknown): void {
    this.controller.abort(reason);
    for (const question of this.open.values()) question.fail(reason);
    this.open.clear();
  }

  private settle(outcome: NonNullable<ParkedCall<R, Round>['outcome']>): void {
    this.outcome = outcome;
    this.onSettled?.();
    for (const question of this.open.values()) question.fail(new Error('The call ended.'));
    this.open.clear();
    this.wake?.();
  }
}

/** Parked calls waiting for their client's next round, by requestState token. */
export class GatewayRounds {
  private readonly waiting = new Map<string, { call: ParkedCall<unknown>; timer: NodeJS.Timeout }>();
  /** Every call that may ask its client questions and has not ended (waiting here or in a round). */
  private readonly live = new Set<ParkedCall<unknown>>();

  constructor(
    private readonly waitMs = ROUND_WAIT_MS,
    /** A call started or stopped waiting (the Gateway view counts them). */
    private readonly onChanged: () => void = () => undefined,
  ) {}

  /** Calls waiting for this client's next round. */
  waitingFor(clientId: string): number {
    let n = 0;
    for (const { call } of this.waiting.values()) if (call.clientId === clientId) n++;
    return n;
  }

  /** Follows a call from its first round until it ends, so a revoke reaches it wherever it is. */
  track(call: ParkedCall<unknown>): void {
    this.live.add(call);
    call.onSettled = () => this.live.delete(call);
  }

  /** Whether this client may have one more call parked. */
  hasRoom(clientId: string, active: ParkedCall<unknown>): boolean {
    let n = 0;
    for (const { call } of this.waiting.values()) if (call.clientId === clientId && call !== active) n++;
    return n < MAX_PARKED_PER_CLIENT;
  }

  /** Parks a call until its client's next round; returns the requestState to send. */
  park(call: ParkedCall<unknown>): string {
    const token = randomBytes(32).toString('base64url');
    const timer = setTimeout(() => {
      this.waiting.delete(token);
      call.cancel(new Error('The client did not answer within the time allowed.'));
      this.onChanged();
    }, this.waitMs);
    timer.unref?.();
    this.waiting.set(token, { call, timer });
    this.onChanged();
    return token;
  }

  /** The parked call a round resumes: only its own client, for the same server and tool; the token is used up. */
  take(token: unknown, clientId: string, target: string): ParkedCall<unknown> | undefined {
    if (typeof token !== 'string') return undefined;
    const entry = this.waiting.get(token);
    if (!entry || entry.call.clientId !== clientId || entry.call.target !== target) return undefined;
    this.waiting.delete(token);
    clearTimeout(entry.timer);
    this.onChanged();
    return entry.call;
  }

  /** Cancels a client's calls, parked or in a round (revoked, rotated, access changed). */
  endClient(clientId: string, reason: unknown): void {
    for (const [token, { call, timer }] of this.waiting) {
      if (call.clientId !== clientId) continue;
      this.waiting.delete(token);
      clearTimeout(timer);
      call.cancel(reason);
    }
    for (const call of this.live) if (call.clientId === clientId) call.cancel(reason);
    this.onChanged();
  }

  /** Cancels every call, parked or in a round (the gateway stops). */
  endAll(reason: unknown): void {
    for (const { call, timer } of this.waiting.values()) {
      clearTimeout(timer);
      call.cancel(reason);
    }
    this.waiting.clear();
    for (const call of this.live) call.cancel(reason);
    this.onChanged();
  }

  /** Takes back a token just given out (the round's request went away before its answer could be sent). */
  withdraw(token: string): void {
    const entry = this.waiting.get(token);
    if (!entry) return;
    this.waiting.delete(token);
    clearTimeout(entry.timer);
    this.onChanged();
  }

  get size(): number {
    return this.waiting.size;
  }
}
