import type { BrowserOpener } from '../ports';
import { IpcError } from '../../../shared/contract/errors';

// A BrowserOpener without a browser, for the headless conformance client and
// Node tests: GETs the authorization URL and follows redirects (http/https
// only, at most `maxHops`) with a tiny per-origin cookie jar, until a page
// answers without redirecting (normally the loopback listener).

export interface HeadlessBrowserOptions {
  maxHops?: number;
  /** Called for each navigation (status, URL without query). */
  onNavigate?: (step: { url: string; status: number }) => void;
  /** Extra headers sent on every request. */
  headers?: Record<string, string>;
  /** Stop (without requesting it) when navigation reaches a URL for which this returns true; see stoppedAt(). */
  stopAt?: (url: URL) => boolean;
}

export interface HeadlessBrowser extends BrowserOpener {
  /** The last page reached by the most recent open() (without query). */
  lastUrl(): string | undefined;
  /** The full URL where `stopAt` stopped the most recent open() (may contain a code: never log it). */
  stoppedAt(): URL | undefined;
}

/** origin + path of the redirect_uri in an authorization URL, if any. */
function redirectTarget(authorizationUrl: string): string | undefined {
  try {
    const r = new URL(new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '');
    return `${r.origin}${r.pathname}`;
  } catch {
    return undefined;
  }
}

export function createHeadlessBrowser(options: HeadlessBrowserOptions = {}): HeadlessBrowser {
  const maxHops = options.maxHops ?? 10;
  const jar = new Map<string, Map<string, string>>(); // origin -> name -> value
  let last: string | undefined;
  let stopped: URL | undefined;
  return {
    lastUrl: () => last,
    stoppedAt: () => stopped,
    async open(url: string) {
      let current = new URL(url);
      stopped = undefined;
      for (let hop = 0; hop <= maxHops; hop++) {
        if (current.protocol !== 'http:' && current.protocol !== 'https:')
          throw new IpcError('AUTH_FAILED', `Headless browser refuses to navigate to a ${current.protocol} URL`);
        if (options.stopAt?.(current)) {
          stopped = current;
          return;
        }
        const cookies = jar.get(current.origin);
        const headers: Record<string, string> = { Accept: 'text/html,application/json', ...options.headers };
        if (cookies?.size) headers.Cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        const res = await fetch(current, { redirect: 'manual', headers });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair?.indexOf('=') ?? -1;
          if (!pair || eq <= 0) continue;
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          const bag = jar.get(current.origin) ?? new Map<string, string>();
          if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) bag.delete(name);
          else bag.set(name, value);
          jar.set(current.origin, bag);
        }
        last = `${current.origin}${current.pathname}`;
        options.onNavigate?.({ url: last, status: res.status });
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel();
          current = new URL(location, current);
          continue;
        }
        await res.body?.cancel();
        // It stopped on a page that is not the redirect URI (a login form, an error page): say so
        // now rather than letting the sign-in wait for its timeout.
        const expected = redirectTarget(url);
        if (expected && `${current.origin}${current.pathname}` !== expected) {
          throw new IpcError(
            'AUTH_FAILED',
            `The authorization server did not redirect back (stopped at ${current.origin}${current.pathname} with HTTP ${res.status}); it may need a person to sign in`,
          );
        }
        return;
      }
      throw new IpcError('AUTH_FAILED', `Headless browser gave up after ${maxHops} redirects`);
    },
  };
}
