// Parses `WWW-Authenticate` values (RFC 9110 §11.6.1, RFC 6750 §3) into the
// Bearer challenge parameters MCP cares about. Input is hostile: never throws,
// caps sizes, ignores what it does not understand.

export interface BearerChallenge {
  /** True when a Bearer challenge was found. */
  bearer: boolean;
  resourceMetadata?: string;
  scope?: string;
  /** Space-separated scope split into tokens (empty when absent). */
  scopes: string[];
  error?: string;
  errorDescription?: string;
  realm?: string;
  /** All parameters of the Bearer challenge, lower-cased names. */
  params: Record<string, string>;
}

const MAX_HEADER = 16_384;
const MAX_VALUE = 4096;

interface RawChallenge {
  scheme: string;
  params: Record<string, string>;
}

function tokenize(input: string): RawChallenge[] {
  const out: RawChallenge[] = [];
  let i = 0;
  const n = input.length;
  let current: RawChallenge | undefined;
  const skipWs = () => {
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(input[i]!)) i++;
    return input.slice(start, i);
  };
  while (i < n) {
    skipWs();
    if (input[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const name = readToken();
    if (!name) {
      // Garbage character: skip it.
      i = Math.max(i + 1, start + 1);
      continue;
    }
    skipWs();
    if (input[i] === '=' && current) {
      // auth-param (or token68 padding; treat as param when followed by a value)
      i++;
      skipWs();
      let value = '';
      if (input[i] === '"') {
        i++;
        while (i < n && input[i] !== '"') {
          if (input[i] === '\\' && i + 1 < n) i++;
          value += input[i];
          i++;
        }
        i++; // closing quote (or past end)
      } else {
        const vs = i;
        while (i < n && input[i] !== ',' && input[i] !== ' ' && input[i] !== '\t') i++;
        value = input.slice(vs, i);
      }
      const key = name.toLowerCase();
      if (!(key in current.params)) current.params[key] = value.slice(0, MAX_VALUE);
      continue;
    }
    if (input[i] === '=' && !current) {
      // a parameter with no scheme before it: skip its value
      i++;
      continue;
    }
    // A new scheme. It may be followed by a token68 (e.g. "Basic abc=="), which we ignore.
    current = { scheme: name.toLowerCase(), params: Object.create(null) as Record<string, string> };
    out.push(current);
    const save = i;
    const t68 = /^[A-Za-z0-9\-._~+/]+=*/.exec(input.slice(i));
    if (t68 && !/^[A-Za-z0-9\-._~+/]+\s*=\s*[^=]/.test(input.slice(i)) && (input[i + t68[0].length] === undefined || /[\s,]/.test(input[i + t68[0].length]!))) {
      i += t68[0].length;
    } else {
      i = save;
    }
  }
  return out;
}

/** Parses one or more (comma-joined) WWW-Authenticate values. Never throws. */
export function parseWwwAuthenticate(header: string | null | undefined): BearerChallenge {
  const empty: BearerChallenge = { bearer: false, scopes: [], params: {} };
  if (typeof header !== 'string' || header.length === 0) return empty;
  let challenges: RawChallenge[];
  try {
    challenges = tokenize(header.slice(0, MAX_HEADER));
  } catch {
    return empty;
  }
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  if (!bearer) return empty;
  const p = bearer.params;
  const scope = typeof p.scope === 'string' ? p.scope.trim() : undefined;
  const scopes = scope ? [...new Set(scope.split(/[\s]+/).filter((s) => s && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)))] : [];
  const result: BearerChallenge = { bearer: true, scopes, params: { ...p } };
  if (p.resource_metadata) result.resourceMetadata = p.resource_metadata;
  if (scope) result.scope = scope;
  if (p.error) result.error = p.error;
  if (p.error_description) result.errorDescription = p.error_description;
  if (p.realm !== undefined) result.realm = p.realm;
  return result;
}
