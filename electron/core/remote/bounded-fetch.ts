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

/** A stream of `source` that errors on the first chunk past `max` bytes (for readers of `body` itself). */
function cappedStream(source: ReadableStream<Uint8Array>, max: number, done: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          done();
          return controller.close();
        }
        seen += value.byteLength;
        if (seen > max) {
          void reader.cancel().catch(() => undefined);
          throw tooLarge(max);
        }
        controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}

type Methods = Record<string, unknown>;
const utf8 = new TextDecoder();

/**
 * The response with every way of reading its body capped at `max` bytes. The whole-body readers are replaced on the
 * instance by plain assignment and read through `readCapped` (no second Response, no copied headers, no extra stream:
 * together those cost about a tenth of a millisecond per response); `body` itself, which the SDK reads only for
 * event streams (never capped here), is a capped stream made when first asked for. `done` is called once the body
 * has been read, refused or cancelled.
 */
const bodyOf = Object.getOwnPropertyDescriptor(Response.prototype, 'body')!.get!;

function capReads(res: Response, max: number, done: () => void, opts: { stream: boolean } = { stream: true }): Response {
  let source: ReadableStream<Uint8Array> = res.body!;
  let whole: Promise<Uint8Array> | undefined;
  let stream: ReadableStream<Uint8Array> | undefined;
  const bytes = (): Promise<Uint8Array> => {
    // Like any body: read once, one way.
    if (whole || stream) return Promise.reject(new TypeError('Body is unusable: it has already been read.'));
    return (whole = readCapped(source, max).finally(done));
  };
  const r = res as unknown as Methods;
  r.bytes = bytes;
  r.arrayBuffer = async () => {
    const b = await bytes();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  r.text = async () => utf8.decode(await bytes());
  r.json = async () => JSON.parse(utf8.decode(await bytes())) as unknown;
  r.blob = async () => new Blob([(await bytes()) as Uint8Array<ArrayBuffer>], { type: res.headers.get('content-type') ?? '' });
  r.formData = () => Promise.reject(new TypeError('An MCP response body is never form data.'));
  r.clone = () => {
    if (whole || stream) throw new TypeError('Response.clone: the body has already been used.');
    const copy = capReads(Response.prototype.clone.call(res), max, noop);
    // Cloning tees the body: this response now reads one branch of it.
    source = bodyOf.call(res) as ReadableStream<Uint8Array>;
    return copy;
  };
  if (!opts.stream) return res;
  Object.defineProperty(res, 'body', {
    get: () => {
      // Read whole already: the original, locked and disturbed, as a read body's stream is.
      if (whole) return source;
      return (stream ??= cappedStream(source, max, done));
    },
  });
  return res;
}

/** `text/event-stream` as a media type (parameters allowed; `text/event-streamx` is something else). */
const EVENT_STREAM = /^\s*text\/event-stream\s*(;|$)/i;

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
      // Servers are hostile: cap every body the SDK reads whole (JSON, error text, the text of a 202 or of an
      // answer to a notification, whatever its content type says).
      if (res.body && res.status >= 200 && res.status !== 204 && res.status !== 205) {
        // An event stream's own body is read incrementally by the SSE parser (it may run for hours): not capped.
        if (EVENT_STREAM.test(contentType ?? '')) return capReads(link ? whenConsumed(res, done) : res, maxBytes, done, { stream: false });
        // A declared length within the cap bounds the body already: the response goes through uncopied.
        if (!lengthWithin(headers, maxBytes)) return capReads(res, maxBytes, done);
      }
      return link ? whenConsumed(res, done) : res;
    } catch (error) {
      done();
      if (!(outer?.aborted ?? false)) record.fetchError = error;
      throw error;
    }
  }) as typeof fetch;
}

function noop(): void {}
