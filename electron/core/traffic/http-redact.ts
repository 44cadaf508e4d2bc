import { REDACTED, isSecretKey, redactSecrets, redactString } from './redact';

// Redaction for recorded HTTP exchanges (OAuth discovery/registration/token
// calls and MCP POSTs). URLs, headers and bodies are scrubbed before they are
// stored; bearer values are never kept, not even truncated.

export const MAX_BODY_CHARS = 16 * 1024;

// OAuth parameters that grant access on their own (an authorization code and its
// state can be replayed inside their lifetime).
const SECRET_PARAMS = new Set(['code', 'state', 'access_token', 'refresh_token', 'id_token', 'client_secret', 'code_verifier', 'assertion', 'client_assertion', 'password', 'token', 'subject_token', 'actor_token', 'api_key', 'apikey', 'key', 'sig', 'signature']);

// Body fields: `code` is only a secret in OAuth bodies; in MCP bodies it is a JSON-RPC error code.
const SECRET_BODY_FIELDS = new Set(['access_token', 'refresh_token', 'id_token', 'client_secret', 'code_verifier', 'assertion', 'client_assertion', 'password', 'subject_token', 'actor_token', 'registration_access_token']);

const isSecretParam = (name: string): boolean => SECRET_PARAMS.has(name.toLowerCase()) || isSecretKey(name);

function redactParams(query: string, isSecret: (name: string) => boolean): string {
  if (!query) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // keep the raw name
      }
      return isSecret(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}

/** The URL with credential query/fragment parameters and userinfo replaced by "[redacted]". */
export function redactUrl(input: string | URL): string {
  const text = String(input);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not absolute: scrub whatever looks like a query string.
    const q = text.indexOf('?');
    return q < 0 ? text : text.slice(0, q + 1) + redactParams(text.slice(q + 1), isSecretParam);
  }
  const userinfo = url.username || url.password ? `${REDACTED}@` : '';
  const search = url.search ? `?${redactParams(url.search.slice(1), isSecretParam)}` : '';
  // Implicit-flow style fragments carry tokens too.
  const hash = url.hash ? `#${redactParams(url.hash.slice(1), isSecretParam)}` : '';
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${search}${hash}`;
}

export type HeadersLike = Headers | Record<string, string | string[] | undefined> | Iterable<[string, string]>;

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token']);

export function isSecretHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_HEADERS.has(n) || n.endsWith('-token') || n.endsWith('-key') || n.endsWith('secret') || isSecretKey(n);
}

/** Headers as a plain lowercase-keyed record with credentials replaced. */
export function redactHeaders(headers: HeadersLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const put = (name: string, value: string): void => {
    const key = name.toLowerCase();
    const safe = isSecretHeader(key) || /^\s*bearer\s/i.test(value) ? REDACTED : redactString(value);
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
  const isSecretField = (name: string): boolean => SECRET_BODY_FIELDS.has(name.toLowerCase()) || (options.oauth === true && name.toLowerCase() === 'code') || isSecretKey(name);
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
    .replace(/"([A-Za-z0-9_-]{1,64})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|-?\d+(?:\.\d+)?)/g, (m, key: string, sep: string) => (isSecretField(key) ? `"${key}"${sep}"${REDACTED}"` : m))
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
