import { IpcError } from '../../../shared/contract/errors';
import type { ObservedResponse } from './connection-errors';

// The fetch under both transports: hostile servers get a cap on bodies read whole, and what
// went wrong is remembered for classifyConnectionError.

/** Largest non-streaming response body we read (JSON-RPC results, error pages). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

function byteLimit(max: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max)
        controller.error(new IpcError('PROTOCOL_ERROR', `The server sent a response larger than ${Math.round(max / 1024 / 1024)} MiB; refusing to read it.`));
      else controller.enqueue(chunk);
    },
  });
}

/** A fetch that remembers the last response (status, content-type, challenge) and the last thrown error, for error classification. */
export function observingFetch(base: typeof fetch | undefined, record: { response?: ObservedResponse; fetchError?: unknown }, maxBytes: number): typeof fetch {
  const f = base ?? globalThis.fetch;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    try {
      const res = await f(input, init);
      const contentType = res.headers.get('content-type');
      record.response = { method, status: res.status, contentType, wwwAuthenticate: res.headers.get('www-authenticate') ?? undefined };
      // Servers are hostile: cap bodies the SDK reads whole (JSON, error text). SSE streams are read incrementally.
      if (res.body && res.status >= 200 && res.status !== 204 && res.status !== 205 && !/^\s*text\/event-stream/i.test(contentType ?? '')) {
        return new Response(res.body.pipeThrough(byteLimit(maxBytes)), { status: res.status, statusText: res.statusText, headers: res.headers });
      }
      return res;
    } catch (error) {
      if (!(init?.signal?.aborted ?? false)) record.fetchError = error;
      throw error;
    }
  }) as typeof fetch;
}
