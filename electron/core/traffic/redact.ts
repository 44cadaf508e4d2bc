// Secret scrubbing for everything we keep (history on disk, traffic in memory).
// Redaction is copy-on-write: untouched subtrees are shared with the input, so a
// large tool result without secrets costs one walk and no copy, and the
// caller's object is never mutated.

export const REDACTED = '[redacted]';

// Compared after lowercasing and dropping '-' and '_' so "Api-Key", "api_key" and "apiKey" all match.
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bearertoken',
  'sessiontoken',
  'clientsecret',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'apikey',
  'xapikey',
  'privatekey',
  'cookie',
  'setcookie',
  'codeverifier',
  'assertion',
  'clientassertion',
]);

// Tokens that are protocol plumbing, not credentials: keep them readable in the inspector.
const NOT_SECRET = new Set(['progresstoken', 'nextpagetoken', 'pagetoken', 'maxtokens', 'tokentype', 'tokenendpointauthmethod', 'tokenendpoint']);

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

// Payload keys repeat endlessly (type, text, content…): remember the verdicts.
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

/** Whether a property / header / parameter name looks like it holds a credential. */
export function isSecretKey(key: string): boolean {
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const k = normalizeKey(key);
  const secret =
    !NOT_SECRET.has(k) &&
    (SECRET_KEYS.has(k) || k.includes('secret') || k.includes('password') || k.endsWith('token') || k.endsWith('apikey') || k.endsWith('accesskey') || k.endsWith('privatekey') || k === 'credential' || k === 'credentials');
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, secret);
  return secret;
}

// "Bearer abc…" / "Basic dXNlcjpw…" inside free text (error messages, echoed
// headers). Lengths and the digit look-ahead keep prose like "basic usage" intact.
const CREDENTIAL = /\b(bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*|\b(basic)\s+(?=[A-Za-z0-9+/]*[0-9+/])[A-Za-z0-9+/]{12,}={0,2}/gi;

// Self-identifying token formats that show up in tool output: JWTs, GitHub,
// Slack and "sk-" style API keys.
const KNOWN_TOKEN = /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,})/g;

/** Replaces bearer/basic credentials and well-known token formats embedded in a string. */
export function redactString(text: string): string {
  if (text.length < 20) return text;
  CREDENTIAL.lastIndex = 0;
  KNOWN_TOKEN.lastIndex = 0;
  let out = text;
  if (CREDENTIAL.test(out)) out = out.replace(CREDENTIAL, (_m, bearer: string | undefined, basic: string | undefined) => `${bearer ?? basic} ${REDACTED}`);
  if (KNOWN_TOKEN.test(out)) out = out.replace(KNOWN_TOKEN, REDACTED);
  return out;
}

const MAX_DEPTH = 64;

/**
 * Returns `value` with the values of secret-looking keys replaced by "[redacted]"
 * and bearer credentials in strings scrubbed. Recursive, cycle-safe (a back
 * reference becomes "[circular]", so the result is always JSON-serializable),
 * never mutates the input.
 */
export function redactSecrets<T>(value: T, options: RedactOptions = {}): T {
  return walk(value, new Set(), new WeakMap(), 0, options.maxStringChars ?? Infinity) as T;
}

export interface RedactOptions {
  /** Cut longer strings (base64 images, file dumps) so a bounded buffer stays bounded in bytes too. */
  maxStringChars?: number;
}

function walk(value: unknown, ancestors: Set<object>, done: WeakMap<object, unknown>, depth: number, maxChars: number): unknown {
  if (typeof value === 'string') return value.length > maxChars ? truncate(redactString(value), maxChars) : redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[circular]';
  const memo = done.get(value);
  if (memo !== undefined) return memo;
  if (depth >= MAX_DEPTH) return '[too deep]';

  let out: unknown = value;
  ancestors.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = walk(item, ancestors, done, depth + 1, maxChars);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    if (copy) out = copy;
  } else if (isPlainObject(value)) {
    let copy: Record<string, unknown> | undefined;
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = source[key];
      const next = item !== undefined && item !== null && isSecretKey(key) ? REDACTED : walk(item, ancestors, done, depth + 1, maxChars);
      if (next !== item) {
        copy ??= { ...source };
        copy[key] = next;
      }
    }
    if (copy) out = copy;
  }
  ancestors.delete(value);
  done.set(value, out);
  return out;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Copied through a Buffer: a plain slice would keep the whole original string alive.
  return `${Buffer.from(text.slice(0, max), 'utf8').toString('utf8')}… [${text.length - max} more characters]`;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
