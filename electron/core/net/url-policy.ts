import { IpcError } from '../../../shared/contract/errors';
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
 */
export type UrlPurpose = 'browser' | 'external-link' | 'mcp-server' | 'auth-configured' | 'auth-metadata';

export interface UrlContext {
  /** Names the URL in the error ("token_endpoint"); default: the purpose's name. */
  what?: string;
  /** The MCP server whose discovery produced the URL: only a server on this machine may point us at this machine. */
  serverUrl?: URL;
}

const DEFAULT_WHAT: Record<UrlPurpose, string> = {
  browser: 'to open this URL in the browser',
  'external-link': 'to open this link',
  'mcp-server': 'MCP server URL',
  'auth-configured': 'authorization URL',
  'auth-metadata': 'URL from authorization metadata',
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
  return { url: parsed };
}

/**
 * Returns the parsed URL, or throws: AUTH_FAILED for the auth purposes,
 * VALIDATION for 'browser' and 'external-link'; the message is
 * "Refusing <what>: <why>" and never echoes the query string.
 */
export function assertSafeUrl(url: string, purpose: 'auth-metadata', context: UrlContext & { serverUrl: URL }): URL;
export function assertSafeUrl(url: string, purpose: Exclude<UrlPurpose, 'auth-metadata'>, context?: Omit<UrlContext, 'serverUrl'>): URL;
export function assertSafeUrl(url: string, purpose: UrlPurpose, context?: UrlContext): URL {
  const result = check(url, context);
  if ('url' in result) return result.url;
  const what = context?.what ?? DEFAULT_WHAT[purpose];
  const code = purpose === 'browser' || purpose === 'external-link' ? 'VALIDATION' : 'AUTH_FAILED';
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
