import { IpcError } from '../../../shared/contract/errors';
import { isIP } from 'node:net';
import { isLoopbackHost, reachesThisMachine } from './loopback';

// The one rule for every URL we fetch for auth or hand to something outside
// the app: https, or http only on this machine; no other scheme (javascript:,
// file:, data:, custom ones: CVE-2025-6514, an authorization_endpoint handed to
// `open` became a shell command), no embedded credentials, no whitespace or
// control characters. URLs a server supplied must also not aim at this machine
// unless that server is itself on this machine (no SSRF into local services).

/**
 * What the URL is for (the call sites):
 * - 'browser': handed to the system browser (authorization URLs);
 * - 'external-link': a link or window.open from the renderer, opened outside the app;
 * - 'mcp-server': the MCP server URL the user configured, as discovery starts from it;
 * - 'auth-configured': an auth URL the user configured (client metadata document, enterprise IdP);
 * - 'auth-metadata': a URL a server or authorization server supplied (protected resource and
 *   AS metadata, the authorization URL built from them); needs the MCP server's URL.
 * - 'elicitation': a URL an MCP server asks the user to visit (URL-mode elicitation), opened in
 *   the system browser only after consent. With the server's URL (remote servers) it may aim at
 *   neither this machine nor a private network address (no CSRF into the router or local
 *   services through the user's browser); a stdio server runs here, so it gets no such context.
 */
export type UrlPurpose = 'browser' | 'external-link' | 'mcp-server' | 'auth-configured' | 'auth-metadata' | 'elicitation';

export interface UrlContext {
  /** Names the URL in the error ("token_endpoint"); default: the purpose's name. */
  what?: string;
  /** The MCP server whose discovery produced the URL: only a server on this machine may point us at this machine. */
  serverUrl?: URL;
  /** Internal: set by the 'elicitation' purpose (private network addresses are refused for remote servers too). */
  privateToo?: boolean;
}

const DEFAULT_WHAT: Record<UrlPurpose, string> = {
  browser: 'to open this URL in the browser',
  'external-link': 'to open this link',
  'mcp-server': 'MCP server URL',
  'auth-configured': 'authorization URL',
  'auth-metadata': 'URL from authorization metadata',
  elicitation: 'to open the URL this server asked for',
};

/** Shortens a URL for an error message without echoing query strings (may carry codes). */
function describe(raw: string): string {
  const s = String(raw);
  const cut = s.split(/[?#]/)[0] ?? '';
  return cut.length > 120 ? `${cut.slice(0, 117)}...` : cut;
}

/** Why the URL is refused, or the parsed URL. */
function check(url: unknown, context: UrlContext | undefined): { url: URL } | { why: string } {
  if (typeof url !== 'string' || url.trim() === '') return { why: 'it is missing or empty' };
  if (url.length > 8192) return { why: 'the URL is too long' };
  // Control characters and whitespace have no business in these URLs (and can split shell args).
  if (/[\u0000-\u0020\u007f]/.test(url)) return { why: 'the URL contains whitespace or control characters' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { why: `"${describe(url)}" is not an absolute URL` };
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return { why: `the "${scheme}:" scheme is not allowed (only https, or http on loopback)` };
  if (!parsed.hostname) return { why: 'the URL has no host' };
  if (parsed.username || parsed.password) return { why: 'URLs with embedded credentials are not allowed' };
  if (scheme === 'http' && !isLoopbackHost(parsed.hostname)) return { why: `plain http is only allowed for loopback hosts, not ${parsed.hostname}` };
  if (context?.serverUrl && reachesThisMachine(parsed.hostname) && !isLoopbackHost(context.serverUrl.hostname)) {
    return {
      why: `it points at this computer (${parsed.host}), but the MCP server ${context.serverUrl.host} is not on this computer; a remote server may not direct Switchboard to local services`,
    };
  }
  if (context?.privateToo && context.serverUrl && isPrivateAddress(parsed.hostname) && !isLoopbackHost(context.serverUrl.hostname)) {
    return { why: `it points at a private network address (${parsed.host}), but the MCP server ${context.serverUrl.host} is not on this computer` };
  }
  return { url: parsed };
}

/** IP literals of private, link-local and unique-local ranges (RFC 1918, 3927, 4193, 4291). Names are not resolved. */
function isPrivateAddress(hostname: string): boolean {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  // IPv4-mapped IPv6 (the URL parser writes ::ffff:192.168.0.1 as ::ffff:c0a8:1).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    host = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (isIP(host) === 6) return /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
  return false;
}

/**
 * Returns the parsed URL, or throws: AUTH_FAILED for the auth purposes,
 * VALIDATION for 'browser', 'external-link' and 'elicitation'; the message is
 * "Refusing <what>: <why>" and never echoes the query string.
 */
export function assertSafeUrl(url: string, purpose: 'auth-metadata', context: UrlContext & { serverUrl: URL }): URL;
export function assertSafeUrl(url: string, purpose: 'elicitation', context: Omit<UrlContext, 'privateToo'>): URL;
export function assertSafeUrl(url: string, purpose: Exclude<UrlPurpose, 'auth-metadata' | 'elicitation'>, context?: Omit<UrlContext, 'serverUrl'>): URL;
export function assertSafeUrl(url: string, purpose: UrlPurpose, context?: UrlContext): URL {
  const result = check(url, purpose === 'elicitation' ? { ...context, privateToo: true } : context);
  if ('url' in result) return result.url;
  const what = context?.what ?? DEFAULT_WHAT[purpose];
  const code = purpose === 'browser' || purpose === 'external-link' || purpose === 'elicitation' ? 'VALIDATION' : 'AUTH_FAILED';
  throw new IpcError(code, `Refusing ${what}: ${result.why}`, { field: what });
}

/** assertSafeUrl as a yes/no, for guards that only refuse (window.open, navigation). */
export function isSafeUrl(url: string, purpose: 'browser' | 'external-link'): boolean {
  try {
    assertSafeUrl(url, purpose);
    return true;
  } catch {
    return false;
  }
}
