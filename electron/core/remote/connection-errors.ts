import { IpcError } from '../../../shared/contract/errors';

// Turns whatever a failed remote connection threw (undici network errors, TLS
// errors, SDK transport errors, zod parse errors, our auth errors) into one
// IpcError with a message a user can act on. Servers are hostile: anything a
// server sent is quoted only after truncation and control-character stripping,
// URLs are shown without userinfo or query string (API keys live there), and
// header values never appear.

export type RemoteTransportKind = 'streamable-http' | 'sse';

/** What we saw of the last HTTP response during a connection attempt (no header values except content-type and the challenge). */
export interface ObservedResponse {
  method: string;
  status: number;
  contentType: string | null;
  /** The raw WWW-Authenticate challenge, if any (server-chosen, not a secret). */
  wwwAuthenticate?: string;
}

export interface ConnectAttempt {
  transport: RemoteTransportKind;
  error: unknown;
  /** The last response observed on this attempt, if any arrived. */
  response?: ObservedResponse;
  /** The last error thrown by fetch itself on this attempt (network, TLS, auth). */
  fetchError?: unknown;
}

export interface ClassifyContext {
  url: string | URL;
  attempts?: ConnectAttempt[];
  timeoutMs?: number;
}

/** The URL as it may appear in a message: scheme, host, port and path only. */
export function displayUrl(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Server-supplied text, made safe to show: one line, printable, short. */
export function quoteServerText(text: string, max = 160): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server uses a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain contains a self-signed certificate that is not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet (check the system clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not match the host name (hostname mismatch)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate was issued by an unknown certificate authority',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate was issued by an unknown certificate authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by an unknown certificate authority',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_REVOKED: 'the server certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (is it plain http?)',
  EPROTO: 'the TLS handshake failed',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the server only supports an outdated TLS version',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the TLS handshake failed (no common cipher or protocol)',
  ERR_CERT_DATE_INVALID: 'the server certificate has expired or is not valid yet (check the system clock)',
};
const UNTRUSTED_CA = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing is listening on that port)',
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS lookup failed temporarily)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EHOSTDOWN: 'the host is down',
  ECONNRESET: 'the connection was reset by the server',
  EPIPE: 'the connection was closed by the server',
  UND_ERR_SOCKET: 'the server closed the connection unexpectedly',
  EADDRNOTAVAIL: 'the address is not available',
  // Chromium's proxy failures (the app's fetch port; see CHROMIUM_CODES).
  ERR_PROXY_CONNECTION_FAILED: 'the proxy server could not be reached (check the system proxy settings)',
  ERR_TUNNEL_CONNECTION_FAILED: 'the proxy server would not connect to it (the proxy may block this host)',
  ERR_PROXY_AUTH_REQUESTED: 'the proxy server asks for a sign-in Switchboard cannot answer',
  ERR_PROXY_AUTH_UNSUPPORTED: 'the proxy server asks for a sign-in Switchboard cannot answer',
  ERR_PROXY_CERTIFICATE_INVALID: 'the proxy server presented an untrusted certificate',
  ERR_MANDATORY_PROXY_CONFIGURATION_FAILED: 'the proxy auto-configuration (PAC) script failed',
  ERR_PAC_SCRIPT_FAILED: 'the proxy auto-configuration (PAC) script failed',
};
const TIMEOUTS = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ESOCKETTIMEDOUT']);

// In the app, requests go through Chromium's network stack (the fetch port),
// whose failures are errors named "net::ERR_…". Those with a Node equivalent map
// onto it; proxy failures, which Node's fetch never has, are in UNREACHABLE.
const CHROMIUM_CODES: Record<string, string> = {
  ERR_CONNECTION_REFUSED: 'ECONNREFUSED',
  ERR_NAME_NOT_RESOLVED: 'ENOTFOUND',
  ERR_NAME_RESOLUTION_FAILED: 'EAI_AGAIN',
  ERR_ADDRESS_UNREACHABLE: 'EHOSTUNREACH',
  ERR_INTERNET_DISCONNECTED: 'ENETUNREACH',
  ERR_CONNECTION_RESET: 'ECONNRESET',
  ERR_CONNECTION_CLOSED: 'EPIPE',
  ERR_EMPTY_RESPONSE: 'UND_ERR_SOCKET',
  ERR_CONNECTION_TIMED_OUT: 'ETIMEDOUT',
  ERR_TIMED_OUT: 'ETIMEDOUT',
  ERR_CERT_AUTHORITY_INVALID: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ERR_CERT_COMMON_NAME_INVALID: 'ERR_TLS_CERT_ALTNAME_INVALID',
  ERR_CERT_REVOKED: 'CERT_REVOKED',
  ERR_SSL_PROTOCOL_ERROR: 'EPROTO',
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
};

/** Every error reachable from `err` through `cause` and AggregateError.errors (bounded). */
function errorChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift();
    if (e === undefined || e === null || out.includes(e)) continue;
    out.push(e);
    if (typeof e === 'object') {
      const cause = (e as { cause?: unknown }).cause;
      if (cause !== undefined) queue.push(cause);
      const errors = (e as { errors?: unknown }).errors;
      if (Array.isArray(errors)) queue.push(...errors.slice(0, 4));
      // SseError keeps the eventsource event; the event has no cause, but keep looking in case.
      const event = (e as { event?: unknown }).event;
      if (event && typeof event === 'object') queue.push(event);
    }
  }
  return out;
}

function codeOf(e: unknown): string | undefined {
  if (e && typeof e === 'object') {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const chromium = /^net::(ERR_[A-Z0-9_]+)$/.exec(messageOf(e));
    if (chromium) return CHROMIUM_CODES[chromium[1]!] ?? chromium[1];
  }
  return undefined;
}

function nameOf(e: unknown): string | undefined {
  if (e && typeof e === 'object') {
    const name = (e as { name?: unknown }).name;
    if (typeof name === 'string') return name;
    const ctor = (e as { constructor?: { name?: string } }).constructor?.name;
    if (ctor) return ctor;
  }
  return undefined;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}

/** The numeric HTTP-ish code carried by SDK StreamableHTTPError / SseError (or undefined). */
export function httpStatusOf(e: unknown): number | undefined {
  const n = nameOf(e);
  if (
    e &&
    typeof e === 'object' &&
    (n === 'SdkHttpError' || n === 'SseError' || e.constructor?.name === 'SdkHttpError' || e.constructor?.name === 'SseError')
  ) {
    // SDK v2: SdkHttpError carries the HTTP status as `status`; SseError still as `code`.
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 100 && status <= 599) return status;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && code >= 100 && code <= 599) return code;
  }
  return undefined;
}

function isAuthError(e: unknown): boolean {
  const n = nameOf(e);
  return (
    n === 'AuthRequiredError' ||
    n === 'StepUpRequiredError' ||
    n === 'UnauthorizedError' ||
    (e instanceof IpcError && (e.code === 'AUTH_REQUIRED' || e.code === 'STEP_UP_REQUIRED' || e.code === 'AUTH_FAILED'))
  );
}

function isHtml(contentType: string | null | undefined): boolean {
  return !!contentType && /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType);
}

/**
 * Classify a failed connection into an IpcError:
 *  - AuthRequiredError / StepUpRequiredError (from electron/core/auth) and IpcErrors pass through unchanged;
 *  - 401/403 → AUTH_REQUIRED (a wrapped StepUpRequiredError: STEP_UP_REQUIRED) (details.challenge carries WWW-Authenticate when seen);
 *  - network failures → CONNECTION_FAILED naming the cause; timeouts → TIMEOUT;
 *  - TLS failures → CONNECTION_FAILED naming the certificate problem (and NODE_EXTRA_CA_CERTS for untrusted CAs);
 *  - 404 on every transport tried → CONNECTION_FAILED "wrong URL";
 *  - HTML or non-JSON-RPC answers → PROTOCOL_ERROR "not an MCP server".
 */
export function classifyConnectionError(err: unknown, ctx: ClassifyContext): IpcError {
  const where = displayUrl(ctx.url);
  const attempts = ctx.attempts ?? [];
  const all: unknown[] = [err, ...attempts.flatMap((a) => [a.fetchError, a.error])].filter((x) => x !== undefined);
  const chain = all.flatMap(errorChain);

  // 1. Authentication: pass our own auth errors through, so callers can start sign-in with `.challenge`.
  const authErr = chain.find((e) => nameOf(e) === 'AuthRequiredError' || nameOf(e) === 'StepUpRequiredError');
  if (authErr) {
    if (authErr instanceof IpcError) return authErr;
    const challenge = (authErr as { challenge?: unknown }).challenge;
    const stepUp = nameOf(authErr) === 'StepUpRequiredError';
    const wrapped = new IpcError(
      stepUp ? 'STEP_UP_REQUIRED' : 'AUTH_REQUIRED',
      `${where} requires you to sign in${stepUp ? ' again with more permissions' : ''}.`,
      typeof challenge === 'string' ? { challenge } : undefined,
    );
    (wrapped as { cause?: unknown }).cause = authErr;
    return wrapped;
  }
  const passthrough = chain.find((e): e is IpcError => e instanceof IpcError);
  if (passthrough) return passthrough;
  const statuses = [...chain.map(httpStatusOf), ...attempts.map((a) => a.response?.status)].filter((s): s is number => typeof s === 'number');
  if (statuses.includes(401) || statuses.includes(403) || chain.some(isAuthError)) {
    const challenge = attempts.map((a) => a.response?.wwwAuthenticate).find((c) => !!c);
    const forbidden = statuses.includes(403) && !statuses.includes(401);
    return new IpcError(
      'AUTH_REQUIRED',
      forbidden
        ? `${where} refused access (HTTP 403). Sign in with an account that has access, or check the configured headers.`
        : `${where} requires authentication (HTTP 401). Sign in, or add the required header (for example an API key).`,
      challenge ? { challenge } : undefined,
    );
  }

  // 2. TLS.
  for (const e of chain) {
    const code = codeOf(e);
    if (code && !UNREACHABLE[code] && (TLS_CAUSES[code] || /^ERR_SSL_|^ERR_TLS_|CERT/.test(code))) {
      const cause = TLS_CAUSES[code] ?? `TLS error ${code}`;
      const hint = UNTRUSTED_CA.has(code)
        ? " If this server uses a private or corporate certificate authority, add its CA certificate to your operating system's trust store, or put it (PEM) in a file and point the NODE_EXTRA_CA_CERTS environment variable at it, then restart Switchboard."
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? ' Use the host name the certificate was issued for.'
          : '';
      return new IpcError('CONNECTION_FAILED', `Secure connection to ${where} failed: ${cause}.${hint}`, { cause: code });
    }
  }

  // 3. Timeouts (network-level, or the MCP request timeout).
  for (const e of chain) {
    const code = codeOf(e);
    if ((code && TIMEOUTS.has(code)) || nameOf(e) === 'TimeoutError' || (nameOf(e) === 'McpError' && (e as { code?: unknown }).code === -32001)) {
      return new IpcError(
        'TIMEOUT',
        `${where} did not answer in time${ctx.timeoutMs ? ` (${Math.round(ctx.timeoutMs / 1000)} s)` : ''}. Check that the server is running and reachable.`,
      );
    }
  }

  // 4. Unreachable host (and ports fetch refuses to use at all).
  if (chain.some((e) => messageOf(e) === 'bad port' || codeOf(e) === 'ERR_UNSAFE_PORT')) {
    const port = (() => {
      try {
        return new URL(String(ctx.url)).port;
      } catch {
        return '';
      }
    })();
    return new IpcError(
      'CONNECTION_FAILED',
      `Port ${port || '(default)'} is on the list of ports that fetch refuses to connect to for safety (such as 9, 25 or 6000). Run the server on another port.`,
      { cause: 'BAD_PORT' },
    );
  }
  for (const e of chain) {
    const code = codeOf(e);
    if (code && UNREACHABLE[code]) {
      return new IpcError('CONNECTION_FAILED', `Cannot reach ${where}: ${UNREACHABLE[code]}. Check the URL and that the server is running.`, { cause: code });
    }
  }

  // 5. Wrong URL: 404 on every transport we tried.
  const tried = attempts.length > 0 ? attempts : [{ transport: 'streamable-http' as const, error: err }];
  const attemptStatus = (a: ConnectAttempt): number | undefined => httpStatusOf(a.error) ?? a.response?.status;
  if (tried.every((a) => attemptStatus(a) === 404)) {
    return new IpcError(
      'CONNECTION_FAILED',
      `No MCP endpoint at ${where} (HTTP 404${tried.length > 1 ? ' for both Streamable HTTP and SSE' : ''}). Check the path: MCP endpoints often end in /mcp or /sse.`,
      { status: 404 },
    );
  }

  // 6. Not an MCP server: HTML pages, non-JSON, JSON that is not JSON-RPC, wrong content type.
  const html = attempts.some((a) => isHtml(a.response?.contentType) && (a.response?.status ?? 0) < 400);
  const badContent = chain.some((e) => {
    const n = nameOf(e);
    const m = messageOf(e);
    return n === 'ZodError' || n === 'SyntaxError' || /Unexpected content type|Invalid content type|expected "text\/event-stream"/i.test(m);
  });
  if (html || badContent) {
    const seen = attempts.map((a) => a.response?.contentType).find((c) => !!c);
    return new IpcError(
      'PROTOCOL_ERROR',
      `${where} is not an MCP server: it answered with ${html ? 'an HTML page' : seen ? `"${quoteServerText(seen, 60)}" content that is not MCP JSON-RPC` : 'a response that is not MCP JSON-RPC'}. Check that the URL points at the MCP endpoint itself.`,
    );
  }

  // 7. Other HTTP errors.
  const status = tried.map(attemptStatus).find((s) => typeof s === 'number');
  if (status !== undefined && status >= 300 && status < 400) {
    // The SDK follows same-origin redirects only; its message names the target without userinfo or query.
    const text = tried.map((a) => messageOf(a.error)).find((m) => /Redirect/i.test(m));
    const detail = text ? ` (${quoteServerText(text.replace(/^.*?(Redirect)/i, '$1'), 200)})` : '';
    return new IpcError(
      'CONNECTION_FAILED',
      `${where} redirects to another site (HTTP ${status}); Switchboard does not follow cross-origin redirects for MCP traffic. Enter the final URL instead${detail}.`,
      { status },
    );
  }
  if (status !== undefined) {
    const kind = status >= 500 ? 'a server error' : 'an error';
    return new IpcError('CONNECTION_FAILED', `${where} answered with ${kind} (HTTP ${status}) when connecting.`, { status });
  }

  // 8. Protocol-level (initialize rejected, unsupported version, JSON-RPC error).
  const msg = messageOf(err);
  if (nameOf(err) === 'McpError' || /protocol version/i.test(msg)) {
    return new IpcError('PROTOCOL_ERROR', `${where} rejected the MCP handshake: ${quoteServerText(msg)}`);
  }
  if (chain.some((e) => messageOf(e) === 'fetch failed')) {
    return new IpcError('CONNECTION_FAILED', `Cannot reach ${where}: the network request failed.`);
  }
  return new IpcError('CONNECTION_FAILED', `Connecting to ${where} failed: ${quoteServerText(msg)}`);
}
