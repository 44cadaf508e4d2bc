import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, relative } from 'node:path';

import type { AppDocuments } from '../electron/core/mcp-apps';

// Serves the built renderer on 127.0.0.1 for the Chromium bridge mode, and the
// core's MCP App documents on http://<server label>.localhost:<port>: one origin
// per server, as switchboard-app://<label> is in Electron (Chromium resolves
// *.localhost to loopback without DNS).

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** `frameSrc`: what index.html's CSP lets the renderer frame here (the app-frame origins) instead of switchboard-app:. */
export async function serveDir(root: string, options: { frameSrc?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (relative(root, file).startsWith('..')) return void res.writeHead(403).end();
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      return void res.writeHead(404).end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (options.frameSrc && extname(file) === '.html')
      return void res.end(readFileSync(file, 'utf8').replace('frame-src switchboard-app:', `frame-src ${options.frameSrc}`));
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The harness's stand-in for switchboard-app://: http://<label>.localhost:<port>/<document id>, answered by the core. */
export async function serveAppFrames(documents: () => AppDocuments | undefined): Promise<{ port: number; close(): Promise<void> }> {
  let port = 0;
  const server: Server = createServer((req, res) => {
    const host = /^([0-9a-f]{32})\.localhost:(\d+)$/.exec(req.headers.host ?? '');
    const store = documents();
    if (!host || Number(host[2]) !== port || !store) return void res.writeHead(404).end();
    const served = store.serve(host[1]!, new URL(req.url ?? '/', 'http://x').pathname, req.method);
    res.writeHead(served.status, served.headers).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
