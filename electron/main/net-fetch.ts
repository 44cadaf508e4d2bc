import { app, net, session } from 'electron';
import { Readable } from 'node:stream';
import type { ClientRequest, ClientRequestConstructorOptions, IncomingMessage } from 'electron';
import type { FetchPort } from '../core/ports';
import { trustExtraCas } from './extra-ca-trust';

// The core's fetch port in the app: requests go through Chromium's network
// stack, so the system proxy (including PAC and WPAD), proxy authentication the
// OS knows about and the OS trust store apply, as they do in the user's browser.
//
// Built on net.request rather than net.fetch: the core sends its MCP and OAuth
// requests with `redirect: 'manual'` (a token must never follow a redirect to
// another origin), and net.fetch cannot return a 3xx response in that mode (it
// fails with "Redirect was cancelled"). Requests carry no session cookies and
// skip the HTTP cache and any custom protocol handler, like Node's fetch.

type RequestFn = (options: ClientRequestConstructorOptions) => ClientRequest;

/** Headers Chromium computes itself and refuses or mangles when set by hand. */
const COMPUTED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return headers;
}

const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');

export function createNetFetch(request: RequestFn, ready: () => Promise<unknown>): FetchPort {
  return async (input, init) => {
    // Request normalises the URL, headers and body exactly as fetch would. The
    // caller's signal is watched directly (a Request would tie a derived signal to
    // it that outlives the exchange; transports reuse one signal for a session).
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const req = new Request(input, { ...init, signal: null });
    await ready(); // net may only be used once the app is ready
    if (signal?.aborted) throw abortReason(signal);
    // MCP and OAuth request bodies are small JSON or form documents.
    const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      const r = request({
        method: req.method,
        url: req.url,
        redirect: req.redirect,
        credentials: 'omit',
        useSessionCookies: false,
        cache: 'no-store',
        bypassCustomProtocolHandlers: true,
      });
      for (const [k, v] of req.headers) if (!COMPUTED.has(k)) r.setHeader(k, v);
      const onAbort = () => {
        settle(() => reject(abortReason(signal!)));
        r.abort();
      };
      // Let go of the signal when this exchange ends.
      const done = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      r.on('redirect', (status, _method, location, headers) => {
        if (req.redirect !== 'manual') return; // 'follow' follows; 'error' fails below
        // What fetch's manual mode gives a Node caller: the 3xx itself, with its Location.
        const h = toHeaders(headers);
        if (!h.has('location')) h.set('location', location);
        settle(() => resolve(new Response(null, { status, headers: h })));
        done();
        r.abort();
      });
      r.on('response', (res: IncomingMessage) => {
        const empty = NULL_BODY.has(res.statusCode) || req.method === 'HEAD';
        const readable = res as unknown as Readable;
        const stream = empty ? null : (Readable.toWeb(readable) as ReadableStream<Uint8Array>);
        if (empty) readable.resume();
        for (const event of ['end', 'error', 'close']) readable.once(event, done);
        settle(() => resolve(new Response(stream, { status: res.statusCode, statusText: res.statusMessage, headers: toHeaders(res.headers) })));
      });
      r.on('error', (error: Error) => {
        done();
        // Shaped like Node's fetch failure; the cause carries Chromium's net::ERR_* name.
        settle(() => reject(new TypeError('fetch failed', { cause: error })));
      });
      if (body) r.write(body);
      r.end();
    });
  };
}

let ready: Promise<void> | undefined;

/** The fetch port the app gives the core. NODE_EXTRA_CA_CERTS is honoured through a certificate verifier (extra-ca-trust.ts). */
export const netFetch: FetchPort = createNetFetch(
  (options) => net.request(options),
  () =>
    (ready ??= app.whenReady().then(() => {
      trustExtraCas(session.defaultSession);
    })),
);
