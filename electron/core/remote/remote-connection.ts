import type { Client, StreamableHTTPReconnectionOptions, Transport } from '@modelcontextprotocol/client';
import { isEraMismatch } from '../servers';
import { classifyConnectionError, httpStatusOf, type ConnectAttempt, type RemoteTransportKind } from './connection-errors';
import { validateRemoteHeaders, validateRemoteUrl } from './remote-options';
import { RemoteTransport, type ReconnectedInfo } from './session-transport';

export type { ReconnectedInfo } from './session-transport';

// Connects an SDK Client to a remote MCP server over Streamable HTTP or the legacy
// HTTP+SSE transport (2024-11-05).
//
//  - 'auto' tries Streamable HTTP and falls back to SSE only when the initialize
//    POST gets HTTP 400, 404 or 405 (spec 2025-11-25 transports, backwards
//    compatibility); never on network errors, 5xx, 401/403 or bad content.
//  - A 404 to a request that carried a session id means the server forgot the
//    session: we start a new one (fresh initialize, replaying the client's own
//    initialize params) on a fresh transport and retry the failed message once.
//    The SDK Client never notices; `onReconnected` tells the caller (session-transport.ts).
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

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        onTimeout();
        reject(Object.assign(new Error('connect timed out'), { name: 'TimeoutError' }));
      },
      Math.max(1, ms),
    );
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
    const transport = new RemoteTransport(kind, url, {
      headers,
      fetch: opts.fetch,
      reconnection,
      timeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
      onReconnected: opts.onReconnected,
    });
    const remaining = deadline - Date.now();
    try {
      if (remaining <= 0) throw Object.assign(new Error('connect timed out'), { name: 'TimeoutError' });
      await withTimeout(
        opts.client.connect(opts.wrapTransport ? opts.wrapTransport(transport) : transport, { timeout: remaining }),
        remaining,
        () => void transport.close(),
      );
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
        // A server refusing our protocol era is not a legacy SSE server either (protocol-era.ts explains the mismatch).
        if (opts.mode !== 'auto' || initStatus === undefined || !FALLBACK_STATUSES.has(initStatus) || isEraMismatch(error)) throw error;
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
