import { systemClock, type Clock } from '../ports';
import type { FetchFn } from './discovery';
import type { DpopKey } from './dpop';
import type { AuthManagerDeps, HttpExchange, HttpExchangePhase } from './types';

// What every part of the OAuth client shares: its dependencies, the clock, the
// instrumented fetch (every request shows up in the server's traffic view), and
// the two notifications (a secret to scrub, a grant that changed). Listener
// failures never break auth.

export interface AuthContext {
  readonly deps: AuthManagerDeps;
  readonly clock: Clock;
  /** A fetch that reports each exchange (phase, server) to deps.onHttpExchange. */
  instrumented(phase: HttpExchangePhase, serverId?: string): FetchFn;
  /** Tells the core which values belong to a server (scrubbed from its recordings); never logged. */
  learn(serverId: string | undefined, ...values: (string | undefined)[]): void;
  /** The grant of this server changed (stored, refreshed, failed, removed). */
  changed(serverId: string): void;
  /** Loaded DPoP keys by vault key name (their handles keep the servers' nonces between requests). */
  readonly dpopKeys: Map<string, DpopKey>;
}

function headersToRecord(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(h ?? {}).forEach((v, k) => (out[k] = v));
  return out;
}

/**
 * The exchange as reported: its headers are turned into records when first read (the recorder
 * does that in its batch, off the call path). A request's headers are the caller's own object
 * for this one request; a response's are immutable.
 */
function exchange(
  method: string,
  url: string,
  status: number,
  request: HeadersInit | undefined,
  response: Headers | undefined,
  durationMs: number,
  phase: HttpExchangePhase,
  serverId: string | undefined,
): HttpExchange {
  let requestHeaders: Record<string, string> | undefined;
  let responseHeaders: Record<string, string> | undefined;
  return {
    method,
    url,
    status,
    durationMs,
    phase,
    serverId,
    get requestHeaders() {
      return (requestHeaders ??= headersToRecord(request));
    },
    get responseHeaders() {
      return (responseHeaders ??= headersToRecord(response));
    },
  };
}

export function createAuthContext(deps: AuthManagerDeps): AuthContext {
  const clock = deps.clock ?? systemClock;
  const emit = (ex: HttpExchange): void => {
    try {
      deps.onHttpExchange?.(ex);
    } catch {
      // a recorder failure must not break auth
    }
  };
  return {
    deps,
    clock,
    dpopKeys: new Map(),
    instrumented(phase, serverId) {
      return async (input, init) => {
        const started = clock.now();
        const url = typeof input === 'string' ? input : input.href;
        const method = init?.method ?? 'GET';
        try {
          const res = await (deps.fetch ?? fetch)(input, init);
          emit(exchange(method, url, res.status, init?.headers, res.headers, clock.now() - started, phase, serverId));
          return res;
        } catch (error) {
          emit(exchange(method, url, 0, init?.headers, undefined, clock.now() - started, phase, serverId));
          throw error;
        }
      };
    },
    learn(serverId, ...values) {
      if (!serverId || !deps.onSecret) return;
      for (const value of values) {
        if (!value) continue;
        try {
          deps.onSecret(serverId, value);
        } catch {
          // the scrubber's failure must not break auth
        }
      }
    },
    changed(serverId) {
      try {
        deps.onGrantChanged?.(serverId);
      } catch {
        // listener errors are not ours
      }
    },
  };
}
