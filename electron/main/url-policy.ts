// The app's own URLs. Compare parsed origins, never prefixes. Which URLs may
// leave the app (browser, external links) is electron/core/net/url-policy.ts.

export const APP_SCHEME = 'app';
/** MCP App documents: switchboard-app://<opaque per-server label>/<document id> (app-protocol.ts). */
export { APP_FRAME_SCHEME } from '../core/ports';
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
