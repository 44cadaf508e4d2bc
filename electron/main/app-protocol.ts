import { net, protocol } from 'electron';
// Looked up at call time: Electron patches fs.promises so paths inside app.asar resolve.
import { promises as fsp } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppDocuments } from '../core/mcp-apps';
import { APP_FRAME_SCHEME, APP_HOST, APP_SCHEME } from './url-policy';
import { CSP } from './security';

// The renderer is served from app://switchboard/ instead of file://, so it gets
// a real origin for the IPC sender check and no file-system privileges.

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // MCP App frames: standard (a real origin per host, so each server's label is its own origin) and secure (a secure
    // context), nothing more: no fetch or CORS from other pages, no CSP bypass, no service workers, no code cache.
    { scheme: APP_FRAME_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/** Serves MCP App documents from the core, each only on its server's switchboard-app://<label> origin, with its CSP. */
export function serveAppFrames(documents: () => AppDocuments | undefined): void {
  protocol.handle(APP_FRAME_SCHEME, appFrameHandler(documents));
}

export function appFrameHandler(documents: () => AppDocuments | undefined): (request: Request) => Promise<Response> {
  return async (request) => {
    const store = documents();
    if (!store) return plain(503, 'Starting');
    const url = new URL(request.url);
    const served = store.serve(url.hostname, url.pathname, request.method);
    return new Response(served.body, { status: served.status, headers: served.headers });
  };
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, rendererHandler(rendererDir));
}

const plain = (status: number, text: string) => new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

/**
 * Answers app://switchboard/<path> from files inside rendererDir, and nothing else.
 * The check is made on the real path (symlinks resolved), and the resolved path is
 * what gets read, so a link inside the folder cannot reach a file outside it.
 */
export function rendererHandler(rendererDir: string): (request: Request) => Promise<Response> {
  // The folder itself may sit behind a symlink (macOS /var -> /private/var): compare real paths.
  let root: Promise<string> | undefined;
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      return plain(400, 'Bad request: malformed percent-encoding');
    }
    if (pathname.includes('\0')) return plain(400, 'Bad request');
    root ??= fsp.realpath(rendererDir);
    let base: string;
    try {
      base = await root;
    } catch {
      root = undefined; // the folder is missing: let a later request look again
      return plain(404, 'Not found');
    }
    let file: string;
    try {
      file = await fsp.realpath(join(base, pathname));
    } catch {
      return plain(404, 'Not found');
    }
    if (!isInside(base, file)) return plain(403, 'Forbidden');
    if (!(await fsp.stat(file)).isFile()) return plain(404, 'Not found');
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  };
}

function isInside(base: string, file: string): boolean {
  const rel = relative(base, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
