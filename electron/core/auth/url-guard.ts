import { isLoopbackHost } from '../net/loopback';
import { IpcError } from '../../../shared/contract/errors';

// Every URL that came from a server or authorization server passes through here
// before we fetch it or hand it to the browser (CVE-2025-6514: an
// authorization_endpoint handed to `open` became a shell command).

/** 127.0.0.0/8, ::1 and localhost (incl. *.localhost). */
export { isLoopbackHost };

/** Shortens a URL for an error message without echoing query strings (may carry codes). */
function describe(raw: string): string {
  const s = String(raw);
  const cut = s.split(/[?#]/)[0] ?? '';
  return cut.length > 120 ? `${cut.slice(0, 117)}...` : cut;
}

/**
 * Returns the parsed URL when it is https, or http on a loopback host; throws
 * AUTH_FAILED otherwise. `what` names the URL in the message ("authorization_endpoint").
 */
export function assertSafeAuthUrl(url: string, what: string): URL {
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
  if (scheme === 'http' && !isLoopbackHost(parsed.hostname)) return fail(`plain http is only allowed for loopback hosts, not ${parsed.hostname}`);
  return parsed;
}
