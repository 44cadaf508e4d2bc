import { homedir } from 'node:os';
import { isSecretKey, looksLikeOpaqueToken, redactString, redactUrl, type Scrub } from '../traffic';

// Redaction for the diagnostics bundle, which leaves the computer (the user
// attaches it to a bug report). Stricter than what the inspector shows: on top
// of the shared patterns (bearer/basic credentials, JWTs and other known token
// formats, URL passwords, PEM keys) and the exact values Switchboard knows are
// secret, it removes anything written as `name=value` or `name: value` under a
// secret-looking name, secret URL parameters, Switchboard's gateway tokens and
// any long random-looking word. Over-redacting a log line costs little here.

const REDACTED = '[redacted]';

/** Gateway client tokens (gateway-clients.ts newToken). */
const GATEWAY_TOKEN = /\bsbg_[A-Za-z0-9_-]{16,}/g;
/** `Authorization: Negotiate xyz`, `proxy-authorization=...`: the whole credential after the name. */
const AUTH_HEADER = /\b((?:proxy-)?authori[sz]ation["']?\s*[:=]\s*["']?)(?:[A-Za-z-]+\s+)?[^\s"',;]+/gi;
/** `refresh_token=…`, `"client_secret": "…"`, `API_KEY: …`, `--token=…`. */
const NAMED_VALUE = /([A-Za-z0-9_.-]{2,64})(["']?\s*[:=]\s*["']?)([^\s"',;&]{4,})/g;
/** Words long enough to be a credential. */
const WORD = /[A-Za-z0-9+/_\-.~=]{16,}/g;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;

export interface TextRedactor {
  text: Scrub;
  /** A structured value: secret keys, then every string through `text`. */
  value<T>(value: T): T;
}

/** `known`: exact secret values (the vault's, the ones injected into servers). */
export function diagnosticsRedactor(known: Scrub | undefined, home: string = homedir()): TextRedactor {
  const text: Scrub = (input) => {
    let out = known ? known(input) : input;
    out = redactString(out);
    out = out.replace(GATEWAY_TOKEN, REDACTED);
    out = out.replace(AUTH_HEADER, (_m, head: string) => `${head}${REDACTED}`);
    out = out.replace(URL_IN_TEXT, (url) => {
      try {
        return redactUrl(url);
      } catch {
        return url;
      }
    });
    out = out.replace(NAMED_VALUE, (m, name: string, sep: string, value: string) => (isSecretKey(name) && value !== REDACTED ? `${name}${sep}${REDACTED}` : m));
    out = out.replace(WORD, (word) => (looksLikeOpaqueToken(word) ? REDACTED : word));
    // The user's name is in their home path; the bundle does not need it.
    if (home.length > 1) out = out.split(home).join('~');
    return out;
  };
  return { text, value: <T>(value: T) => walk(value, false, text, 0) as T };
}

/**
 * Strings under a secret-looking name (at any depth below it) become "[redacted]";
 * every other string goes through `text`. Booleans and numbers stay: "secret": true
 * and "hasClientSecret": false are what a diagnosis needs. Returns a copy.
 */
function walk(value: unknown, secret: boolean, text: Scrub, depth: number): unknown {
  if (typeof value === 'string') return secret ? REDACTED : text(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 32) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => walk(item, secret, text, depth + 1));
  const out = Object.create(null) as Record<string, unknown>; // a "__proto__" key stays a plain key
  for (const [key, item] of Object.entries(value)) out[text(key)] = walk(item, secret || isSecretKey(key), text, depth + 1);
  return out;
}
