import { isLoopbackHost, reachesThisMachine } from '../net/loopback';
import { IpcError } from '../../../shared/contract/errors';

// Every URL that came from a server or authorization server passes through here
// before we fetch it or hand it to the browser (CVE-2025-6514: an
// authorization_endpoint handed to `open` became a shell command).

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and the literal name localhost. */
export { isLoopbackHost };

/** Where a server-supplied URL came from: only a server on this machine may point us at this machine. */
export interface AuthUrlContext {
  /** The MCP server whose discovery produced the URL. */
  serverUrl: URL;
}

/** Shortens a URL for an error message without echoing query strings (may carry codes). */
function describe(raw: string): string {
  const s = String(raw);
  const cut = s.split(/[?#]/)[0] ?? '';
  return cut.length > 120 ? `${cut.slice(0, 117)}...` : cut;
}

/**
 * Returns the parsed URL when it is https, or http on a loopback host; throws
 * AUTH_FAILED otherwise. `what` names the URL in the message ("authorization_endpoint").
 *
 * `context` is given for every URL a server or authorization server supplied
 * (PRM, AS metadata): a URL on this machine (loopback or 0.0.0.0; http or https) is then accepted only when
 * the MCP server itself is on loopback, so a remote server cannot aim
 * discovery, registration or token requests at services on the user's
 * machine (SSRF). URLs the user typed (CIMD document, enterprise IdP) pass no context.
 */
export function assertSafeAuthUrl(url: string, what: string, context?: AuthUrlContext): URL {
  const fail = (why: string): never => {
    throw new IpcError('AUTH_FAILED', `Refusing ${what}: ${why}`, { field: what });
  };
  if (typeof url !== 'string' || url.trim() === '') return fail('it is missing or empty');
  if (url.length > 8192) return fail('the URL is too long');
  // Control characters and whitespace have no business in an endpoint URL (and can split shell args).
  if (/[\u0000-\u0020\u007f]/.test(url)) return fail('the URL contains whitespace or control characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(`"${describe(url)}" is not an absolute URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return fail(`the "${scheme}:" scheme is not allowed (only https, or http on loopback)`);
  if (!parsed.hostname) return fail('the URL has no host');
  if (parsed.username || parsed.password) return fail('URLs with embedded credentials are not allowed');
  const loopback = isLoopbackHost(parsed.hostname);
  if (scheme === 'http' && !loopback) return fail(`plain http is only allowed for loopback hosts, not ${parsed.hostname}`);
  if (context && reachesThisMachine(parsed.hostname) && !isLoopbackHost(context.serverUrl.hostname)) {
    return fail(`it points at this computer (${parsed.host}), but the MCP server ${context.serverUrl.host} is not on this computer; a remote server may not direct Switchboard to local services`);
  }
  return parsed;
}
