import { isLoopbackHost } from '../core/net/loopback';

// Which URLs the app may open outside itself. Authorization URLs come from the
// core, built from validated metadata; everything else (links in server text,
// window.open, navigations) is refused. Compare parsed origins, never prefixes.


export function isSafeExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

export const APP_SCHEME = 'app';
export const APP_HOST = 'switchboard';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** The renderer's own pages: app://switchboard/…, or the dev server's origin in `npm run dev`. */
export function isAppUrl(raw: string, devServerUrl?: string): boolean {
  try {
    const url = new URL(raw);
    if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
    return Boolean(devServerUrl) && url.origin === new URL(devServerUrl!).origin;
  } catch {
    return false;
  }
}
