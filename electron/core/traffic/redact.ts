// Secret scrubbing for everything we keep (history on disk, traffic in memory).
// Redaction is copy-on-write: untouched subtrees are shared with the input, so a
// large tool result without secrets costs one walk and no copy, and the
// caller's object is never mutated.

export const REDACTED = '[redacted]';

// Compared after lowercasing and dropping '-' and '_' so "Api-Key", "api_key" and "apiKey" all match.
const SECRET_KEYS = new Set([
  'auth',
  'authorization',
  'proxyauthorization',
  'token',
  'tokens',
  'accesstoken',
  'accesstokens',
  'refreshtoken',
  'refreshtokens',
  'idtoken',
  'idtokenhint',
  'jwt',
  'bearer',
  'bearertoken',
  'sessiontoken',
  'session',
  'sessionid',
  'xsession',
  'xsessionid',
  'mcpsessionid',
  'clientsecret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'apikey',
  'apikeys',
  'xapikey',
  'privatekey',
  'cookie',
  'cookies',
  'setcookie',
  'codeverifier',
  'assertion',
  'clientassertion',
  'connectionstring',
  'connstring',
  'connstr',
  'dsn',
  'databaseurl',
  'signature',
  'sig',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
  'credential',
  'credentials',
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
    (SECRET_KEYS.has(k) ||
      k.includes('secret') ||
      k.includes('password') ||
      k.endsWith('token') ||
      k.endsWith('apikey') ||
      k.endsWith('accesskey') ||
      k.endsWith('privatekey') ||
      k.endsWith('credentials') ||
      k.endsWith('connectionstring') ||
      k.endsWith('sessionid'));
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, secret);
  return secret;
}

// "Bearer abc…" / "Basic dXNlcjpw…" inside free text (error messages, echoed
// headers). Lengths and the digit look-ahead keep prose like "basic usage" intact.
const CREDENTIAL = /\b(bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*|\b(basic)\s+(?=[A-Za-z0-9+/]*[0-9+/])[A-Za-z0-9+/]{12,}={0,2}/gi;

// Self-identifying token formats that show up in tool output: JWTs, GitHub,
// GitLab, Slack, npm, Google, Stripe, AWS access key ids and "sk-" style API keys.
// A token starts where no token character precedes it (a look-behind, not \b):
// with \b, every "-eyJ" inside one long run would be a new start that scans to
// the end of the run, quadratic on a hostile string.
const KNOWN_TOKEN =
  /(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abeprs]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|npm_[A-Za-z0-9]{36}|AIza[A-Za-z0-9_-]{35}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,})|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;

// A password in the userinfo of a URL inside text: "postgres://app:hunter22@db/x".
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s/:@"'<>]{1,256}):([^\s/@"'<>]{1,256})@/gi;

/** Replaces bearer/basic credentials, well-known token formats, URL passwords and private keys embedded in a string. */
export function redactString(text: string): string {
  if (text.length < 20) return text;
  CREDENTIAL.lastIndex = 0;
  KNOWN_TOKEN.lastIndex = 0;
  URL_PASSWORD.lastIndex = 0;
  let out = text;
  if (CREDENTIAL.test(out)) out = out.replace(CREDENTIAL, (_m, bearer: string | undefined, basic: string | undefined) => `${bearer ?? basic} ${REDACTED}`);
  if (KNOWN_TOKEN.test(out)) out = out.replace(KNOWN_TOKEN, REDACTED);
  if (out.includes('://') && URL_PASSWORD.test(out)) out = out.replace(URL_PASSWORD, (_m, head: string) => `${head}:${REDACTED}@`);
  if (out.includes('PRIVATE KEY-----')) out = redactPrivateKeys(out);
  return out;
}

/** PEM private key blocks (pasted client keys, echoed configs); one without its END line is redacted to the end. Linear: indexOf only. */
function redactPrivateKeys(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', from);
    if (begin < 0) break;
    const labelEnd = text.indexOf('-----', begin + 11);
    if (labelEnd < 0) break;
    const label = text.slice(begin + 11, labelEnd);
    if (label.length > 40 || !label.endsWith('PRIVATE KEY')) {
      out += text.slice(from, labelEnd);
      from = labelEnd;
      continue;
    }
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, labelEnd + 5);
    out += text.slice(from, begin) + REDACTED;
    if (end < 0) return out;
    from = end + endLine.length;
  }
  return out + text.slice(from);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_CHARS = /^[A-Za-z0-9+/_\-.~=]+$/;
const RUN = /[A-Za-z0-9+/]{16,}/g;

/**
 * Whether a value on its own (a URL parameter or path segment, a header value)
 * looks like an opaque credential: a long unbroken run of letters and digits
 * that switches between lowercase, uppercase and digits the way random strings
 * do. Words, slugs ("release-notes-2024"), camelCase names, numbers, dates and
 * UUIDs (request and trace ids) do not qualify. Only for values standing alone:
 * in free text a hash or an id would be a false positive.
 */
export function looksLikeOpaqueToken(value: string): boolean {
  if (value.length < 16 || value.length > 8192 || !TOKEN_CHARS.test(value) || UUID.test(value)) return false;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(value); m; m = RUN.exec(value)) {
    if (isRandomRun(m[0])) return true;
  }
  return false;
}

const classOf = (c: number): number => (c >= 48 && c <= 57 ? 0 : c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : 3);

function isRandomRun(run: string): boolean {
  let digits = 0;
  let lower = 0;
  let upper = 0;
  let switches = 0;
  let prev = -1;
  const seen = new Set<number>();
  for (let i = 0; i < run.length; i++) {
    const code = run.charCodeAt(i);
    const cls = classOf(code);
    if (cls === 0) digits++;
    else if (cls === 1) lower++;
    else if (cls === 2) upper++;
    if (prev !== -1 && cls !== prev) switches++;
    prev = cls;
    seen.add(code);
  }
  const letters = lower + upper;
  if (letters === 0) return false; // a number or a timestamp
  if (seen.size < Math.min(12, run.length / 2)) return false; // repetitive
  // Random base62 switches class about 60% of the time, hex about 45%; words and slugs far less.
  const ratio = switches / (run.length - 1);
  // camelCase also switches often, but has one capital per word: random text has both cases in similar measure.
  const mixed = lower > 0 && upper > 0;
  const balanced = mixed && Math.min(lower, upper) / letters >= 0.3;
  if (digits === 0) return balanced && ratio >= 0.4;
  if (run.length >= 24) return ratio >= 0.25 && (!mixed || balanced || digits >= 3); // hex, lowercase base36, long base64
  return ratio >= 0.3 && (balanced || (mixed && digits >= 3));
}

const MAX_DEPTH = 64;

/**
 * Returns `value` with the values of secret-looking keys replaced by "[redacted]"
 * and bearer credentials in strings scrubbed. Recursive, cycle-safe (a back
 * reference becomes "[circular]", so the result is always JSON-serializable),
 * never mutates the input.
 */
export function redactSecrets<T>(value: T, options: RedactOptions = {}): T {
  const { scrub } = options;
  const max = options.maxStringChars ?? Infinity;
  // Known secrets first (exact values), then patterns; both before the cut, so a value straddling it is still caught.
  const onString = scrub ? (s: string): string => cut(redactString(scrub(s)), max) : (s: string): string => cut(redactString(s), max);
  return walk(value, new Set(), new WeakMap(), 0, onString) as T;
}

const cut = (s: string, max: number): string => (s.length > max ? truncate(s, max) : s);

export interface RedactOptions {
  /** Cut longer strings (base64 images, file dumps) so a bounded buffer stays bounded in bytes too. */
  maxStringChars?: number;
  /** Replaces known secret values in every string (see KnownSecrets). */
  scrub?: (text: string) => string;
}

function walk(value: unknown, ancestors: Set<object>, done: WeakMap<object, unknown>, depth: number, onString: (s: string) => string): unknown {
  if (typeof value === 'string') return onString(value);
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
      const next = walk(item, ancestors, done, depth + 1, onString);
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
      const next = item !== undefined && item !== null && isSecretKey(key) ? REDACTED : walk(item, ancestors, done, depth + 1, onString);
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
