import { REDACTED, isSecretKey, looksLikeOpaqueToken, redactSecrets, redactString } from './redact';

// Redaction for recorded HTTP exchanges (OAuth discovery/registration/token
// calls and MCP POSTs). URLs, headers and bodies are scrubbed before they are
// stored; bearer values are never kept, not even truncated.

export const MAX_BODY_CHARS = 16 * 1024;

// OAuth parameters that grant access on their own (an authorization code and its
// state can be replayed inside their lifetime).
const SECRET_PARAMS = new Set([
  'code',
  'state',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'client_secret',
  'code_verifier',
  'assertion',
  'client_assertion',
  'password',
  'token',
  'subject_token',
  'actor_token',
  'api_key',
  'apikey',
  'key',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'auth',
  'jwt',
  'session',
  'sid',
]);

// Body fields: `code` is only a secret in OAuth bodies; in MCP bodies it is a JSON-RPC error code.
const SECRET_BODY_FIELDS = new Set([
  'id_token_hint',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'assertion',
  'client_assertion',
  'password',
  'subject_token',
  'actor_token',
  'registration_access_token',
]);

const isSecretParam = (name: string): boolean => SECRET_PARAMS.has(name.toLowerCase()) || isSecretKey(name);

// OAuth parameters that are public by design, though random-looking (a DCR client id, a PKCE challenge): kept readable.
const PUBLIC_PARAMS = new Set([
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'response_type',
  'grant_type',
  'scope',
  'redirect_uri',
  'resource',
  'iss',
  'token_type',
  'token_type_hint',
  'expires_in',
  'cursor',
]);

/** A parameter or path value that is a credential by its shape alone (JWT, ghp_…, a long random string). */
function secretValue(raw: string): boolean {
  if (raw.length < 16) return false;
  let value = raw;
  try {
    value = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // keep the raw value
  }
  return looksLikeOpaqueToken(value) || redactString(value) !== value;
}

// Both '&' and ';' separate parameters (HTML 4 form encoding, some servers' matrix style).
function redactParams(query: string, isSecret: (name: string) => boolean): string {
  if (!query) return query;
  return query.replace(/[^&;]+/g, (pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return secretValue(pair) ? REDACTED : pair;
    let name = pair.slice(0, eq).trim(); // "a=1; b=2" lists in headers
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    if (isSecret(name)) return `${pair.slice(0, eq)}=${REDACTED}`;
    return !PUBLIC_PARAMS.has(name.toLowerCase()) && secretValue(pair.slice(eq + 1)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
  });
}

// Path segments can carry keys too ("/v1/<api key>/mcp"); a segment that is a credential by shape goes.
function redactPath(path: string): string {
  if (path.length < 17) return path;
  return path.replace(/[^/;]+/g, (segment) => (secretValue(segment) ? REDACTED : segment));
}

/** The URL with credential query/fragment parameters, credential-shaped path segments and userinfo replaced by "[redacted]". */
export function redactUrl(input: string | URL): string {
  const text = String(input);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not absolute (a relative Location, say): scrub the path and whatever looks like a query string.
    const hashAt = text.indexOf('#');
    const head = hashAt < 0 ? text : text.slice(0, hashAt);
    const hash = hashAt < 0 ? '' : `#${redactParams(text.slice(hashAt + 1), isSecretParam)}`;
    const q = head.indexOf('?');
    return q < 0 ? redactPath(head) + hash : `${redactPath(head.slice(0, q))}?${redactParams(head.slice(q + 1), isSecretParam)}${hash}`;
  }
  const userinfo = url.username || url.password ? `${REDACTED}@` : '';
  const search = url.search ? `?${redactParams(url.search.slice(1), isSecretParam)}` : '';
  // Implicit-flow style fragments carry tokens too.
  const hash = url.hash ? `#${redactParams(url.hash.slice(1), isSecretParam)}` : '';
  return `${url.protocol}//${userinfo}${url.host}${redactPath(url.pathname)}${search}${hash}`;
}

export type HeadersLike = Headers | Record<string, string | string[] | undefined> | Iterable<[string, string]>;

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  // RFC 9449 proofs: signed for one request, but replayable to that URL until the server's iat window ends.
  'dpop',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-session',
  'x-session-id',
  'mcp-session-id',
  'x-amz-security-token',
  'x-goog-api-key',
]);

// Headers whose values are identifiers or hashes by design: kept readable even when they look random.
const PLAIN_HEADERS = new Set([
  'etag',
  'if-match',
  'if-none-match',
  'x-request-id',
  'request-id',
  'x-correlation-id',
  'traceparent',
  'tracestate',
  'x-trace-id',
  'x-amzn-trace-id',
  'x-amz-request-id',
  'x-amz-id-2',
  'cf-ray',
  'mcp-protocol-version',
  'last-event-id',
  'content-type',
  'content-length',
  'date',
  'last-modified',
  'user-agent',
  'accept',
  'accept-encoding',
  'content-encoding',
]);

// Headers whose value is a URL (or a list of them): their query strings and paths are redacted like any URL.
const URL_HEADERS = new Set(['location', 'content-location', 'referer', 'origin', 'refresh', 'link']);

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return (
    SECRET_HEADERS.has(n) ||
    n.endsWith('-token') ||
    n.endsWith('-key') ||
    n.endsWith('secret') ||
    n.endsWith('-signature') ||
    n.endsWith('-session') ||
    isSecretKey(n)
  );
}

// "Bearer x", "Basic x", "Token x", or a bare credential-shaped value.
const SCHEME_CREDENTIAL = /^\s*(?:bearer|basic|token|digest|negotiate|apikey|sharedaccesssignature)\s+\S/i;

function redactHeaderValue(name: string, value: string): string {
  if (isSecretHeader(name) || SCHEME_CREDENTIAL.test(value)) return REDACTED;
  if (URL_HEADERS.has(name)) return value.replace(/[^\s<>"',;=]*[/?][^\s<>"',]*/g, (u) => redactUrl(u));
  if (PLAIN_HEADERS.has(name)) return redactString(value);
  const trimmed = value.trim();
  if (secretValue(trimmed)) return REDACTED;
  // "key=value; key=value" lists (custom auth headers, cookies under another name).
  if (/[=;]/.test(trimmed) && trimmed.length < 8192) return redactString(redactParams(value, isSecretParam));
  return redactString(value);
}

/** Headers as a plain lowercase-keyed record with credentials replaced. */
export function redactHeaders(headers: HeadersLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const put = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const safe = redactHeaderValue(key, value);
    out[key] = key in out && out[key] !== REDACTED ? `${out[key]}, ${safe}` : safe;
  };
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, name) => put(name, value));
  } else if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<[string, string]>) put(name, String(value));
  } else {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      put(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
  }
  return out;
}

export interface BodyOptions {
  /** OAuth endpoints: also redact `code` (the authorization code). */
  oauth?: boolean;
  maxChars?: number;
}

// Bodies larger than this are scrubbed with patterns only (no JSON.parse).
const MAX_PARSE_CHARS = 4 * 1024 * 1024;

/** A request/response body with token fields redacted (JSON, form-encoded or SSE), then cut to 16 KB. */
export function redactBody(body: string, options: BodyOptions = {}): string {
  const maxChars = options.maxChars ?? MAX_BODY_CHARS;
  const isSecretField = (name: string): boolean =>
    SECRET_BODY_FIELDS.has(name.toLowerCase()) || (options.oauth === true && name.toLowerCase() === 'code') || isSecretKey(name);
  let text = body;
  const trimmed = body.trimStart();
  let structured = false;
  if (body.length <= MAX_PARSE_CHARS && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      text = JSON.stringify(redactFields(JSON.parse(body), isSecretField));
      structured = true;
    } catch {
      // not JSON after all: fall through to the pattern scrub
    }
  } else if (/^[^\s{}[\]<>"]+=[^\s]*$/.test(trimmed.slice(0, 4096)) && !/\s/.test(trimmed)) {
    text = redactParams(trimmed, isSecretField);
    structured = true;
  }
  if (!structured) text = scrubPatterns(text, isSecretField);
  text = redactString(text);
  return text.length > maxChars ? `${text.slice(0, maxChars)}… [${text.length - maxChars} more characters]` : text;
}

function redactFields(value: unknown, isSecretField: (name: string) => boolean): unknown {
  // Key-based redaction first (generic secrets), then the OAuth field list.
  const generic = redactSecrets(value);
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = isSecretField(k) && (typeof item === 'string' || typeof item === 'number') ? REDACTED : visit(item);
      return out;
    }
    return v;
  };
  return visit(generic);
}

// For SSE streams, truncated JSON and unknown formats: `"field": "value"` and `field=value`.
function scrubPatterns(text: string, isSecretField: (name: string) => boolean): string {
  return text
    .replace(/"([A-Za-z0-9_-]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d+(?:\.\d+)?)/g, (m, key: string, sep: string) =>
      isSecretField(key) ? `"${key}"${sep}"${REDACTED}"` : m,
    )
    .replace(/(^|[?&\s])([A-Za-z0-9_.-]{1,64})=([^&\s"]*)/g, (m, lead: string, key: string) => (isSecretField(key) ? `${lead}${key}=${REDACTED}` : m));
}

export type HttpPhase = 'discovery' | 'registration' | 'token' | 'revocation' | 'mcp' | 'other';

/** Best guess of what an HTTP exchange was for, from its URL (callers that know better pass the phase). */
export function classifyHttpPhase(url: string | URL, mcpUrl?: string | URL): HttpPhase {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return 'other';
  }
  const path = parsed.pathname.toLowerCase();
  if (path.includes('/.well-known/')) return 'discovery';
  if (mcpUrl !== undefined) {
    try {
      const m = new URL(String(mcpUrl));
      if (m.origin === parsed.origin && m.pathname === parsed.pathname) return 'mcp';
    } catch {
      // ignore a bad hint
    }
  }
  if (/\/(register|registration|clients)\/?$/.test(path)) return 'registration';
  if (/\/(revoke|revocation)\/?$/.test(path)) return 'revocation';
  if (/\/(token|oauth2?\/token)\/?$/.test(path)) return 'token';
  if (/\/(mcp|sse|messages?)\/?$/.test(path)) return 'mcp';
  return 'other';
}
