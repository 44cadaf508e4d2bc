// Each HTTP request gets a signal of its own, linked to the caller's while the request (its
// body included) is under way, and unlinked the moment it is over.
//
// Why: the SDK's Streamable HTTP transport passes every POST either its long-lived transport
// signal (2025 era) or AbortSignal.any(transport signal, per-request signal) (2026 era). The
// HTTP client (undici) adds an abort listener to whatever signal it is given and removes it only
// when the request object is garbage collected. On the long-lived signal that piles up listeners
// a burst deep (each new one walks the list: duplicate check, max-listener count, a warning);
// a combined signal with a listener is held strongly by Node until that removal, so it outlives
// its request, gets promoted, and Node walks the transport signal's whole dependant set each
// time one is finally collected (nodejs/node#55351). With a signal of our own per request, the
// client's listener sits on a signal nobody else holds; the caller's signal carries one listener
// per signal (fanned out to its requests in flight), removed as soon as the last one finishes.

interface Link {
  readonly requests: Set<AbortController>;
  readonly onAbort: () => void;
}

const links = new WeakMap<AbortSignal, Link>();
const noop = (): void => undefined;

export interface RequestSignal {
  /** Give this to the HTTP client instead of the caller's signal. */
  readonly signal: AbortSignal;
  /** The request is over (answered and its body read, failed, or cancelled): unlink it. Idempotent. */
  readonly done: () => void;
}

/** A signal for one request that aborts when `outer` does (with its reason) until `done()` is called. */
export function requestSignal(outer: AbortSignal): RequestSignal {
  const own = new AbortController();
  if (outer.aborted) {
    own.abort(outer.reason);
    return { signal: own.signal, done: noop };
  }
  let link = links.get(outer);
  if (!link) {
    const requests = new Set<AbortController>();
    const created: Link = {
      requests,
      onAbort: () => {
        links.delete(outer);
        for (const request of requests) request.abort(outer.reason);
        requests.clear();
      },
    };
    links.set(outer, created);
    outer.addEventListener('abort', created.onAbort, { once: true });
    link = created;
  }
  const mine = link;
  mine.requests.add(own);
  let over = false;
  return {
    signal: own.signal,
    done: () => {
      if (over) return;
      over = true;
      if (!mine.requests.delete(own) || mine.requests.size > 0 || links.get(outer) !== mine) return;
      links.delete(outer);
      outer.removeEventListener('abort', mine.onAbort);
    },
  };
}

/** The ways a response's body is read whole: each calls `done` once it has finished (or failed). */
const READERS = ['json', 'text', 'arrayBuffer', 'bytes', 'blob', 'formData'] as const;

type Methods = Record<string, unknown>;

/**
 * The response, with `done` called once its body has been read to the end, failed or been cancelled. Wrapped on the
 * instances by plain assignment (no copy, no extra stream, no accessor: each of those measured tens of microseconds per
 * response): the methods that read the body whole, and the body stream's getReader/pipeTo/pipeThrough, the ways a
 * streaming reader (SSE) takes it. A response with no body is over at once. A body read no other way, or never read,
 * stays linked until the caller's signal aborts (the transport closing).
 */
export function whenConsumed(res: Response, done: () => void): Response {
  const body = res.body;
  if (!body) {
    done();
    return res;
  }
  const settle = <T>(pending: Promise<T>): Promise<T> => {
    pending.then(done, done);
    return pending;
  };
  const r = res as unknown as Methods;
  for (const name of READERS) {
    const read = r[name];
    if (typeof read === 'function') r[name] = (...args: unknown[]) => settle((read as (...a: unknown[]) => Promise<unknown>).apply(res, args));
  }
  const stream = body as unknown as Methods;
  const { getReader, pipeTo } = body;
  stream.getReader = (...args: unknown[]) => {
    const reader = (getReader as (...a: unknown[]) => ReadableStreamDefaultReader).apply(body, args);
    // Settles when the stream closes, errors or is cancelled (or the lock is released: then it counts as read).
    settle(reader.closed);
    return reader;
  };
  stream.pipeTo = (destination: WritableStream, options?: StreamPipeOptions) => settle(pipeTo.call(body, destination, options));
  // What pipeThrough does, through the watched pipeTo (its promise is handled, as pipeThrough's is).
  stream.pipeThrough = (pair: ReadableWritablePair<unknown, Uint8Array>, options?: StreamPipeOptions) => {
    settle(pipeTo.call(body, pair.writable, options)).catch(() => undefined);
    return pair.readable;
  };
  return res;
}
