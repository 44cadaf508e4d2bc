import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, type StreamableHTTPReconnectionOptions } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { IpcError } from '../../../shared/contract/errors';
import { classifyConnectionError, displayUrl, httpStatusOf, type ConnectAttempt, type ObservedResponse, type RemoteTransportKind } from './connection-errors';

// Connects an SDK Client to a remote MCP server over Streamable HTTP or the legacy
// HTTP+SSE transport (2024-11-05).
//
//  - 'auto' tries Streamable HTTP and falls back to SSE only when the initialize
//    POST gets HTTP 400, 404 or 405 (spec 2025-11-25 transports, backwards
//    compatibility); never on network errors, 5xx, 401/403 or bad content.
//  - A 404 to a request that carried a session id means the server forgot the
//    session: we start a new one (fresh initialize, replaying the client's own
//    initialize params) on a fresh transport and retry the failed message once.
//    The SDK Client never notices; `onReconnected` tells the caller.
//  - close() sends DELETE for Streamable HTTP sessions (405 is fine), then closes.

export type RemoteMode = 'auto' | 'streamable-http' | 'sse';

export interface RemoteConnectOptions {
  url: string;
  mode: RemoteMode;
  /** Extra request headers (API keys...). Values are never logged or put into errors. */
  headers: Record<string, string>;
  /** e.g. AuthManager.fetchFor(id): adds the Bearer token, throws AuthRequiredError on 401. */
  fetch?: typeof fetch;
  /** SDK Client, already configured with capabilities and handlers; not yet connected. */
  client: Client;
  /** Budget for the whole connect (both transports in 'auto'), also used for a session re-initialize. */
  timeoutMs: number;
  /** Lets the caller observe traffic (the inspector's recording-transport): applied to each transport before the client connects. */
  wrapTransport?: (transport: Transport) => Transport;
  /** Called after the server lost our session (HTTP 404) and a new session was initialized. */
  onReconnected?: (info: ReconnectedInfo) => void;
  /** Streamable HTTP stream resumption (Last-Event-ID). The server's SSE `retry` field wins over the delays. */
  reconnectionOptions?: Partial<StreamableHTTPReconnectionOptions>;
  /** Cap on non-streaming response bodies (default MAX_BODY_BYTES, 32 MiB). */
  maxResponseBytes?: number;
}

type TrafficObserver = (dir: 'in' | 'out', msg: JSONRPCMessage) => void;

/** What the new session's initialize returned (the Client keeps the first session's capabilities; compare if it matters). */
export interface ReconnectedInfo {
  sessionId?: string;
  protocolVersion: string;
  serverInfo?: { name: string; version: string; [k: string]: unknown };
  capabilities?: Record<string, unknown>;
  instructions?: string;
}

export interface RemoteSession {
  readonly transportKind: RemoteTransportKind;
  /** Current Mcp-Session-Id (changes after a re-initialize). */
  readonly sessionId?: string;
  readonly protocolVersion: string;
  /** DELETE the Streamable HTTP session (405 is fine), then close the client and transport. */
  close(): Promise<void>;
}

export const DEFAULT_RECONNECTION_OPTIONS: StreamableHTTPReconnectionOptions = {
  initialReconnectionDelay: 1000,
  maxReconnectionDelay: 30_000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: 5,
};

/** Statuses on the initialize POST that mean "maybe a legacy HTTP+SSE server" (spec 2025-11-25). */
export const FALLBACK_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

const RESERVED_HEADERS = new Set(['mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'content-type', 'accept', 'content-length', 'host', 'connection', 'transfer-encoding', 'upgrade', 'te', 'keep-alive', 'expect']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parse and check a remote server URL: http(s) only, a host, no embedded credentials. Throws IpcError VALIDATION. */
export function validateRemoteUrl(raw: string): URL {
  const fail = (message: string): never => {
    throw new IpcError('VALIDATION', message, { url: message });
  };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) fail('Enter the server URL, for example https://example.com/mcp.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? 'This is not a valid URL.' : 'This is not a valid URL; it must start with https:// or http://.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(`Only http:// and https:// URLs are supported (got ${url.protocol.replace(/[^a-z0-9+.-:]/gi, '')}).`);
  if (!url.hostname) fail('The URL has no host name.');
  if (url.username || url.password) fail('Do not put credentials in the URL; add them as a (secret) header instead.');
  url.hash = '';
  return url;
}

/** Check user headers: valid names, no CR/LF/NUL in values, none of the headers the transport owns. Throws IpcError VALIDATION (naming the header, never its value). */
export function validateRemoteHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) throw new IpcError('VALIDATION', `"${name.slice(0, 64)}" is not a valid header name.`, { headers: 'invalid header name' });
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new IpcError('VALIDATION', `The ${name} header is managed by Switchboard and cannot be set.`, { headers: `${name} is reserved` });
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw new IpcError('VALIDATION', `The value of header ${name} contains line breaks or NUL characters.`, { headers: `${name} has an invalid value` });
    out[name] = value;
  }
  return out;
}

type Inner = StreamableHTTPClientTransport | SSEClientTransport;

/** Largest non-streaming response body we read (JSON-RPC results, error pages). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

function byteLimit(max: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new IpcError('PROTOCOL_ERROR', `The server sent a response larger than ${Math.round(max / 1024 / 1024)} MiB; refusing to read it.`));
      else controller.enqueue(chunk);
    },
  });
}

/** A fetch that remembers the last response (status, content-type, challenge) and the last thrown error, for error classification. */
function observingFetch(base: typeof fetch | undefined, record: { response?: ObservedResponse; fetchError?: unknown }, maxBytes: number): typeof fetch {
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

function isInitializeRequest(msg: JSONRPCMessage): msg is JSONRPCMessage & { id: string | number; method: 'initialize'; params: Record<string, unknown> } {
  return 'method' in msg && msg.method === 'initialize' && 'id' in msg;
}

/**
 * The Transport handed to the SDK Client. Owns one inner SDK transport at a time;
 * for Streamable HTTP it swaps in a fresh one when the server answers 404 to a
 * request that carried our session id.
 */
class RemoteTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  readonly record: { response?: ObservedResponse; fetchError?: unknown } = {};
  /** The error the initialize POST failed with, if it did (drives the SSE fallback). */
  initError?: unknown;

  private inner?: Inner;
  private closed = false;
  private closeNotified = false;
  private initMessage?: JSONRPCMessage & { params: Record<string, unknown> };
  private protocolVersionValue?: string;
  private reinit?: { forSession: string; promise: Promise<void> };
  private reinitCount = 0;
  private terminating = false;
  private readonly backgroundReinits: number[] = [];
  private readonly intercepted = new Map<string | number, (msg: JSONRPCMessage) => void>();

  constructor(
    readonly kind: RemoteTransportKind,
    private readonly url: URL,
    private readonly opts: { headers: Record<string, string>; fetch?: typeof fetch; reconnection: StreamableHTTPReconnectionOptions; timeoutMs: number; maxResponseBytes?: number; onReconnected?: RemoteConnectOptions['onReconnected'] },
  ) {}

  private observer?: TrafficObserver;

  /**
   * Traffic recording (recording-transport's TrafficSource). Observed here, on
   * the inner transports, because a session re-initialize sends and receives
   * messages the client never sees.
   */
  observeTraffic(observer: TrafficObserver): void {
    this.observer = observer;
  }

  /** Report traffic to the inspector; a throwing observer must not break the connection. */
  private tap(dir: 'in' | 'out', msg: JSONRPCMessage): void {
    try {
      this.observer?.(dir, msg);
    } catch {
      // ignore
    }
  }

  private create(): Inner {
    const fetchFn = observingFetch(this.opts.fetch, this.record, this.opts.maxResponseBytes ?? MAX_BODY_BYTES);
    const requestInit: RequestInit = { headers: { ...this.opts.headers } };
    const inner: Inner =
      this.kind === 'streamable-http'
        ? new StreamableHTTPClientTransport(this.url, { fetch: fetchFn, requestInit, reconnectionOptions: this.opts.reconnection })
        : new SSEClientTransport(this.url, { fetch: fetchFn, requestInit });
    inner.onmessage = (msg: JSONRPCMessage, extra?: unknown) => {
      if (inner !== this.inner) return;
      this.tap('in', msg);
      if ('id' in msg && msg.id !== undefined && !('method' in msg)) {
        const waiter = this.intercepted.get(msg.id);
        if (waiter) {
          this.intercepted.delete(msg.id);
          waiter(msg);
          return;
        }
      }
      this.onmessage?.(msg, extra as never);
    };
    inner.onerror = (error: Error) => {
      if (inner !== this.inner || this.closed) return;
      // A 404 on the standalone GET stream (or any request) carrying our session id: the server lost the session.
      // Re-initialize proactively so server-to-client messages resume; send() joins the same attempt.
      const sid = this.sessionId;
      if (this.kind === 'streamable-http' && !this.terminating && sid && httpStatusOf(error) === 404 && this.mayReinitInBackground()) {
        void this.reinitialize(sid).catch(() => undefined);
        return;
      }
      this.onerror?.(error);
    };
    inner.onclose = () => {
      if (inner !== this.inner) return;
      this.closed = true;
      this.notifyClosed();
    };
    return inner;
  }

  async start(): Promise<void> {
    if (this.inner) throw new Error('RemoteTransport already started');
    this.inner = this.create();
    await this.inner.start();
  }

  get sessionId(): string | undefined {
    return this.inner instanceof StreamableHTTPClientTransport ? this.inner.sessionId : undefined;
  }

  setProtocolVersion(version: string): void {
    this.protocolVersionValue = version;
    this.inner?.setProtocolVersion?.(version);
  }

  get protocolVersion(): string | undefined {
    return this.protocolVersionValue;
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const inner = this.inner;
    if (!inner || this.closed) throw new Error('Not connected');
    if (isInitializeRequest(message)) this.initMessage = message;
    this.tap('out', message);
    const sessionAtSend = this.sessionId;
    try {
      await (inner as Transport).send(message, options);
    } catch (error) {
      if (isInitializeRequest(message)) this.initError = error;
      if (this.kind !== 'streamable-http' || this.closed || isInitializeRequest(message)) throw error;
      // Replaced while in flight: a re-initialize (started by another 404) aborted the old transport.
      const swapped = this.inner !== inner;
      if (!swapped && !(sessionAtSend && httpStatusOf(error) === 404)) throw error;
      // The server no longer knows our session: start a new one (or join the one under way) and retry once.
      if (swapped) await this.reinit?.promise;
      else await this.reinitialize(sessionAtSend!);
      const fresh = this.inner;
      if (!fresh || fresh === inner || this.closed) throw error;
      await (fresh as Transport).send(message, options);
    }
  }

  /** At most 3 background (not request-driven) re-initializations per minute: a server that 404s every new session must not make us loop. */
  private mayReinitInBackground(): boolean {
    const now = Date.now();
    while (this.backgroundReinits.length && now - this.backgroundReinits[0]! > 60_000) this.backgroundReinits.shift();
    if (this.backgroundReinits.length >= 3) return false;
    this.backgroundReinits.push(now);
    return true;
  }

  /** Fresh initialize on a fresh transport; deduplicated per lost session. */
  private reinitialize(lostSession: string): Promise<void> {
    if (this.reinit && this.reinit.forSession === lostSession) return this.reinit.promise;
    if (this.sessionId !== lostSession) return Promise.resolve(); // someone already replaced it
    const promise = this.doReinitialize().catch((error: unknown) => {
      // Without a working session the transport is useless: close it so the client (and its owner) see the
      // disconnect, but only after the failed request has been rejected with the real cause.
      setTimeout(() => void this.close().catch(() => undefined), 0);
      throw error;
    });
    this.reinit = { forSession: lostSession, promise };
    return promise;
  }

  private async doReinitialize(): Promise<void> {
    const init = this.initMessage;
    if (!init) throw new IpcError('PROTOCOL_ERROR', 'The server lost the session before it was initialized.');
    const old = this.inner;
    const fresh = this.create();
    this.inner = fresh;
    // Stop the old transport's streams; its callbacks are now ignored (inner !== this.inner).
    await old?.close().catch(() => undefined);
    await fresh.start();
    const id = `switchboard-reinit-${++this.reinitCount}`;
    const request: JSONRPCMessage = { jsonrpc: '2.0', id, method: 'initialize', params: init.params } as JSONRPCMessage;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const response = new Promise<JSONRPCMessage>((resolve, reject) => {
      timer = setTimeout(() => {
        this.intercepted.delete(id);
        reject(new IpcError('TIMEOUT', `${displayUrl(this.url)} did not answer the new session's initialize in time.`));
      }, this.opts.timeoutMs);
      this.intercepted.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
    this.tap('out', request);
    try {
      await fresh.send(request);
    } catch (error) {
      clearTimeout(timer);
      this.intercepted.delete(id);
      response.catch(() => undefined);
      throw error;
    }
    const msg = await response;
    if (!('result' in msg)) throw new IpcError('PROTOCOL_ERROR', `${displayUrl(this.url)} refused to start a new session.`);
    const version = (msg.result as { protocolVersion?: unknown }).protocolVersion;
    if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) throw new IpcError('PROTOCOL_ERROR', `${displayUrl(this.url)} answered the new session with an unsupported protocol version.`);
    this.setProtocolVersion(version);
    const initialized: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
    this.tap('out', initialized);
    await fresh.send(initialized);
    try {
      const result = msg.result as { serverInfo?: ReconnectedInfo['serverInfo']; capabilities?: Record<string, unknown>; instructions?: unknown };
      this.opts.onReconnected?.({ sessionId: this.sessionId, protocolVersion: version, serverInfo: result.serverInfo, capabilities: result.capabilities, instructions: typeof result.instructions === 'string' ? result.instructions : undefined });
    } catch {
      // the listener's problem, not the connection's
    }
  }

  /** DELETE the session (Streamable HTTP only; 405 counts as done). */
  async terminateSession(): Promise<void> {
    if (!(this.inner instanceof StreamableHTTPClientTransport) || this.closed) return;
    this.terminating = true;
    await this.inner.terminateSession();
  }

  private notifyClosed(): void {
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.onclose?.();
  }

  async close(): Promise<void> {
    const inner = this.inner;
    this.closed = true;
    this.intercepted.clear();
    // inner.onclose forwards to this.onclose only while it is current.
    if (inner) await inner.close().catch(() => undefined);
    this.notifyClosed();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(Object.assign(new Error('connect timed out'), { name: 'TimeoutError' }));
    }, Math.max(1, ms));
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Connect `client` to a remote MCP server. Resolves once initialize completed;
 * rejects with an IpcError from classifyConnectionError (AUTH_REQUIRED errors from
 * the auth module pass through unchanged).
 */
export async function connectRemote(opts: RemoteConnectOptions): Promise<RemoteSession> {
  const url = validateRemoteUrl(opts.url);
  const headers = validateRemoteHeaders(opts.headers);
  const timeoutMs = opts.timeoutMs > 0 ? opts.timeoutMs : 30_000;
  const deadline = Date.now() + timeoutMs;
  const reconnection = { ...DEFAULT_RECONNECTION_OPTIONS, ...opts.reconnectionOptions };
  const attempts: ConnectAttempt[] = [];
  let streamableInitError: unknown;

  const attempt = async (kind: RemoteTransportKind): Promise<RemoteTransport> => {
    const transport = new RemoteTransport(kind, url, { headers, fetch: opts.fetch, reconnection, timeoutMs, maxResponseBytes: opts.maxResponseBytes, onReconnected: opts.onReconnected });
    const remaining = deadline - Date.now();
    try {
      if (remaining <= 0) throw Object.assign(new Error('connect timed out'), { name: 'TimeoutError' });
      await withTimeout(opts.client.connect(opts.wrapTransport ? opts.wrapTransport(transport) : transport, { timeout: remaining }), remaining, () => void transport.close());
      return transport;
    } catch (error) {
      attempts.push({ transport: kind, error, response: transport.record.response, fetchError: transport.record.fetchError });
      // Client.connect closes on initialize failure but not when start() throws (SSE); make sure nothing keeps reconnecting.
      await opts.client.close().catch(() => undefined);
      await transport.close().catch(() => undefined);
      if (kind === 'streamable-http') streamableInitError = transport.initError;
      throw error;
    }
  };

  let transport: RemoteTransport;
  try {
    if (opts.mode === 'sse') {
      transport = await attempt('sse');
    } else {
      try {
        transport = await attempt('streamable-http');
      } catch (error) {
        // Only an HTTP 400/404/405 answer to the initialize POST itself means "try legacy SSE".
        const initStatus = httpStatusOf(streamableInitError);
        if (opts.mode !== 'auto' || initStatus === undefined || !FALLBACK_STATUSES.has(initStatus)) throw error;
        transport = await attempt('sse');
      }
    }
  } catch (error) {
    throw classifyConnectionError(error, { url, attempts, timeoutMs });
  }

  let closing: Promise<void> | undefined;
  const session: RemoteSession = {
    transportKind: transport.kind,
    get sessionId() {
      return transport.sessionId;
    },
    get protocolVersion() {
      return transport.protocolVersion ?? '';
    },
    close() {
      closing ??= (async () => {
        if (transport.kind === 'streamable-http' && transport.sessionId) {
          const budget = Math.min(timeoutMs, 5000);
          await withTimeout(transport.terminateSession(), budget, () => undefined).catch(() => undefined);
        }
        await opts.client.close().catch(() => undefined);
        await transport.close().catch(() => undefined);
      })();
      return closing;
    },
  };
  return session;
}
