import { IpcError } from '../../../shared/contract/errors';
import type { ObservedResponse } from './connection-errors';
import { requestSignal, whenConsumed } from './request-signals';

// The fetch under both transports: hostile servers get a cap on bodies read whole, and what
// went wrong is remembered for classifyConnectionError.

/** Largest non-streaming response body we read (JSON-RPC results, error pages). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

const tooLarge = (max: number) =>
  new IpcError('PROTOCOL_ERROR', `The server sent a response larger than ${Math.round(max / 1024 / 1024)} MiB; refusing to read it.`);

/**
 * True when the body the caller will read is provably at most `max` bytes without counting it:
 * the HTTP client frames the body by Content-Length and stops there (a server that sends more
 * has the rest cut off, never delivered), so a declared length within the cap bounds what
 * arrives. Not when the body is decoded (Content-Encoding: the declared length is the
 * compressed size) or framed by Transfer-Encoding (which wins over Content-Length).
 */
export function lengthWithin(headers: Headers, max: number): boolean {
  const declared = headers.get('content-length');
  if (declared === null || !/^\d{1,15}$/.test(declared) || Number(declared) > max) return false;
  if (headers.has('transfer-encoding')) return false;
  const encoding = headers.get('content-encoding');
  return encoding === null || /^\s*identity\s*$/i.test(encoding);
}

/** Reads the whole body, refusing it as soon as it passes `max` bytes (the stream is cancelled). */
async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > max) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(seen);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * A response whose body is read lazily through `readCapped` (error on the first read past the cap, like the body itself
 * failing). `done` is called once the body has been read, refused or cancelled.
 */
function cappedResponse(res: Response, max: number, done: () => void): Response {
  const source = res.body!;
  let pending: Promise<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      pending ??= readCapped(source, max).finally(done);
      const bytes = await pending;
      if (bytes.byteLength) controller.enqueue(bytes);
      controller.close();
    },
    cancel(reason) {
      done();
      return source.cancel(reason);
    },
  });
  return new Response(stream, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * A fetch that remembers the last response (status, content-type, challenge) and the last thrown error, for error
 * classification. Each request runs on a signal of its own (request-signals.ts), linked to the caller's until the
 * response's body has been read: aborting the caller's signal still aborts the request, body included.
 */
export function observingFetch(base: typeof fetch | undefined, record: { response?: ObservedResponse; fetchError?: unknown }, maxBytes: number): typeof fetch {
  const f = base ?? globalThis.fetch;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const outer = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const link = outer ? requestSignal(outer) : undefined;
    const done = link?.done ?? noop;
    try {
      const res = await f(input, link ? { ...init, signal: link.signal } : init);
      const headers = res.headers;
      const contentType = headers.get('content-type');
      record.response = { method, status: res.status, contentType, wwwAuthenticate: headers.get('www-authenticate') ?? undefined };
      // Servers are hostile: cap bodies the SDK reads whole (JSON, error text). SSE streams are read incrementally.
      if (res.body && res.status >= 200 && res.status !== 204 && res.status !== 205 && !/^\s*text\/event-stream/i.test(contentType ?? '')) {
        // A declared length within the cap bounds the body already: the response goes through uncopied.
        if (!lengthWithin(headers, maxBytes)) return cappedResponse(res, maxBytes, done);
      }
      return link ? whenConsumed(res, done) : res;
    } catch (error) {
      done();
      if (!(outer?.aborted ?? false)) record.fetchError = error;
      throw error;
    }
  }) as typeof fetch;
}

const noop = (): void => undefined;
