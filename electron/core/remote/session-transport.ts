import { SSEClientTransport, StreamableHTTPClientTransport, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import type { StreamableHTTPReconnectionOptions, Transport, TransportSendOptions, JSONRPCMessage } from '@modelcontextprotocol/client';
import { IpcError } from '../../../shared/contract/errors';
import { MAX_BODY_BYTES, observingFetch } from './bounded-fetch';
import { displayUrl, httpStatusOf, type ObservedResponse, type RemoteTransportKind } from './connection-errors';

// Keeps one MCP session alive over an SDK transport: a 404 to a request that
// carried our session id means the server forgot it, so a fresh transport runs
// a new initialize (replaying the client's own params) and the failed message
// is retried once. The SDK Client never notices; onReconnected tells the caller.

type TrafficObserver = (dir: 'in' | 'out', msg: JSONRPCMessage) => void;

/** What the new session's initialize returned (the Client keeps the first session's capabilities; compare if it matters). */
export interface ReconnectedInfo {
  sessionId?: string;
  protocolVersion: string;
  serverInfo?: { name: string; version: string; [k: string]: unknown };
  capabilities?: Record<string, unknown>;
  instructions?: string;
}

type Inner = StreamableHTTPClientTransport | SSEClientTransport;

function isInitializeRequest(msg: JSONRPCMessage): msg is JSONRPCMessage & { id: string | number; method: 'initialize'; params: Record<string, unknown> } {
  return 'method' in msg && msg.method === 'initialize' && 'id' in msg;
}

/**
 * The Transport handed to the SDK Client. Owns one inner SDK transport at a time;
 * for Streamable HTTP it swaps in a fresh one when the server answers 404 to a
 * request that carried our session id.
 */
export class RemoteTransport implements Transport {
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
  private supportedVersions?: string[];
  private reinit?: { forSession: string; promise: Promise<void> };
  private reinitCount = 0;
  private terminating = false;
  private readonly backgroundReinits: number[] = [];
  private readonly intercepted = new Map<string | number, (msg: JSONRPCMessage) => void>();

  constructor(
    readonly kind: RemoteTransportKind,
    private readonly url: URL,
    private readonly opts: {
      headers: Record<string, string>;
      fetch?: typeof fetch;
      reconnection: StreamableHTTPReconnectionOptions;
      timeoutMs: number;
      maxResponseBytes?: number;
      onReconnected?: (info: ReconnectedInfo) => void;
    },
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
    // A replacement transport (after a lost session) speaks what the first one negotiated.
    if (this.supportedVersions) (inner as Transport).setSupportedProtocolVersions?.(this.supportedVersions);
    if (this.protocolVersionValue) inner.setProtocolVersion?.(this.protocolVersionValue);
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

  /** Streamable HTTP opens one POST per request, so on the 2026-07-28 wire closing it is how a request is cancelled. */
  get hasPerRequestStream(): boolean | undefined {
    return this.kind === 'streamable-http' ? true : undefined;
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.supportedVersions = versions;
    (this.inner as Transport | undefined)?.setSupportedProtocolVersions?.(versions);
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
    if (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))
      throw new IpcError('PROTOCOL_ERROR', `${displayUrl(this.url)} answered the new session with an unsupported protocol version.`);
    this.setProtocolVersion(version);
    const initialized: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };
    this.tap('out', initialized);
    await fresh.send(initialized);
    try {
      const result = msg.result as { serverInfo?: ReconnectedInfo['serverInfo']; capabilities?: Record<string, unknown>; instructions?: unknown };
      this.opts.onReconnected?.({
        sessionId: this.sessionId,
        protocolVersion: version,
        serverInfo: result.serverInfo,
        capabilities: result.capabilities,
        instructions: typeof result.instructions === 'string' ? result.instructions : undefined,
      });
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
