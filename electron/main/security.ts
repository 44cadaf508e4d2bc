import { app, session, shell, type WebContents } from 'electron';
import { isSafeUrl } from '../core/net/url-policy';
import { APP_FRAME_SCHEME, isAppUrl } from './url-policy';

// App-wide guards: a strict CSP on everything we serve, no permissions, no
// navigation away from the app, no new windows, no webviews. Links the user
// clicks open in the browser only when they are http(s).

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  // MCP Apps only: each server's documents on its own switchboard-app://<label> origin (never this one).
  `frame-src ${APP_FRAME_SCHEME}:`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * No permissions but clipboard writes from our own pages. The CSP itself travels with our pages: the app:// handler
 * sends it as a header, and index.html carries it as a meta tag (which is also
 * what applies under the dev server, where Vite's React Refresh preamble must run
 * before it). Other pages (the e2e build's stand-in browser) keep their own.
 */
export function hardenSession(devServerUrl?: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl ?? contents.getURL(), devServerUrl)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, devServerUrl));
}

/** The one permission the app uses: writing to the clipboard ("Copy as JSON"), from its own pages only. */
export function permissionAllowed(permission: string, requestingUrl: string, devServerUrl?: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl, devServerUrl);
}

/** Test-only windows standing in for the system browser (SWITCHBOARD_E2E): they browse freely, without a preload. */
export const browserStandIns = new WeakSet<WebContents>();

export function hardenContents(devServerUrl?: string): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // Checked per event: a stand-in window is registered just after it is created.
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (!browserStandIns.has(contents) && !isAppUrl(url, devServerUrl)) event.preventDefault();
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // A plain link in server-provided text: hand http(s) to the browser, never a shell.
      if (isSafeUrl(url, 'external-link')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
