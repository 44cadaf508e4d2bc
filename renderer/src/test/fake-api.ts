import { buildBridge, type SwitchboardBridge } from '../../../shared/bridge';
import {
  eventNames,
  events,
  IpcError,
  methodNames,
  methods,
  type Envelope,
  type EventName,
  type MethodName,
  type PayloadOf,
  type RequestOf,
  type ResponseOf,
} from '../../../shared/contract';

// A stand-in for the core behind `window.switchboard`, for renderer component
// tests. It goes through the same bridge builder as the preload, and like the
// real dispatcher it zod-parses every request and response against the contract,
// so a component that sends a malformed request, or a test that answers with a
// shape the core never would, fails instead of passing on a fiction.

/** One method as `SwitchboardApi` declares it (a plain value may be returned for brevity). */
type MethodImpl<M extends MethodName> = (request: RequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
export type FakeMethods = { [M in MethodName]?: MethodImpl<M> };

export interface FakeCall<M extends MethodName = MethodName> {
  method: M;
  /** The request after contract parsing (defaults filled in), as a handler would see it. */
  request: RequestOf<M>;
}

/** Quiet answers for what stores and views ask on their own; anything else must be given by the test. */
const defaults: FakeMethods = {
  listClientRequests: () => ({ requests: [] }),
  queryHistory: () => ({ total: 0, records: [] }),
  historyFacets: () => ({ servers: [], tools: [], statuses: [] }),
  takeInstallLink: () => ({}),
  takeDesktopNavigation: () => ({}),
};

class FakeApi {
  readonly bridge: SwitchboardBridge;
  readonly calls: FakeCall[] = [];
  private overrides: FakeMethods = {};
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor() {
    this.bridge = buildBridge(
      methodNames,
      eventNames,
      (channel, request) => this.invoke(channel.slice('switchboard:call:'.length) as MethodName, request),
      (channel, listener) => {
        const set = this.listeners.get(channel) ?? new Set();
        this.listeners.set(channel, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    ) as SwitchboardBridge;
  }

  /** Answers for this test (merged over earlier ones until `reset`). */
  use(overrides: FakeMethods): void {
    this.overrides = { ...this.overrides, ...overrides };
  }

  /** The parsed requests made to one method, oldest first. */
  requests<M extends MethodName>(method: M): RequestOf<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request as RequestOf<M>);
  }

  /** Fire a contract event at every subscriber (payload checked against the contract). Wrap in act() from a test. */
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    const parsed = events[event].payload.parse(payload);
    for (const listener of this.listeners.get(`switchboard:event:${event}`) ?? []) listener(parsed);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(`switchboard:event:${event}`)?.size ?? 0;
  }

  /** Forget overrides and recorded calls. Subscriptions stay: stores subscribe once per module. */
  reset(): void {
    this.overrides = {};
    this.calls.length = 0;
  }

  private async invoke(name: MethodName, raw: unknown): Promise<Envelope> {
    const def = methods[name];
    const parsed = def.request.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { code: 'INVALID_REQUEST', message: `Invalid request for ${name}: ${parsed.error.message}` } };
    this.calls.push({ method: name, request: parsed.data as RequestOf<MethodName> });
    const impl = (this.overrides[name] ?? defaults[name]) as ((request: unknown) => unknown) | undefined;
    try {
      if (!impl) throw new IpcError('INTERNAL', `The fake API has no answer for ${name}: give one with fakeApi.use().`);
      return { ok: true, value: def.response.parse(await impl(parsed.data)) };
    } catch (error) {
      if (error instanceof IpcError) return { ok: false, error: error.toShape() };
      throw error;
    }
  }
}

export const fakeApi = new FakeApi();

/** A promise a test settles by hand, for calls that should stay in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
