import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The app:// handler against a real renderer folder on disk, through the stand-in
// `electron` module: protocol.handle hands us the handler, net.fetch reads file:// URLs.
const handlers = new Map<string, (request: Request) => Promise<Response>>();
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => handlers.set(scheme, handler),
  },
  net: {
    fetch: async (url: string) => {
      if (!url.startsWith('file://')) throw new Error(`stand-in net.fetch only reads files, not ${url}`);
      return new Response(readFileSync(fileURLToPath(url)), { headers: { 'Content-Type': url.endsWith('.html') ? 'text/html' : 'application/octet-stream' } });
    },
  },
  app: { on: vi.fn() },
  session: {},
  shell: {},
}));

const { serveRenderer } = await import('../../electron/main/app-protocol');

let root: string;
let get: (path: string) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sb-app-protocol-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Switchboard</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
  // Links inside the renderer folder that point out of it: a file and a folder.
  symlinkSync(join(outside, 'secret.txt'), join(renderer, 'assets', 'logo.png'));
  symlinkSync(outside, join(renderer, 'assets', 'more'));
  // A link that stays inside is fine.
  symlinkSync(join(renderer, 'assets', 'app.js'), join(renderer, 'alias.js'));
  serveRenderer(renderer);
  const handler = handlers.get('app')!;
  get = (path) => handler(new Request(`app://switchboard${path}`));
  return () => rmSync(root, { recursive: true, force: true });
});

describe('app:// protocol handler', () => {
  it('serves the renderer with the CSP header', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Switchboard');
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect((await get('/alias.js')).status).toBe(200);
  });

  it('a symlink inside the renderer folder cannot serve a file outside it', async () => {
    const response = await get('/assets/logo.png');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('TOP SECRET');
  });

  it('a symlinked folder inside the renderer folder cannot serve files outside it', async () => {
    const response = await get('/assets/more/secret.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('TOP SECRET');
  });

  it('encoded dot-dot segments cannot climb out of the renderer folder', async () => {
    for (const path of ['/..%2foutside%2fsecret.txt', '/assets/..%2f..%2foutside/secret.txt', '/%2e%2e/outside/secret.txt']) {
      const response = await get(path);
      expect([403, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain('TOP SECRET');
    }
  });

  it('malformed percent-encoding gets a 400, not an exception', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%', '/%zz.js']) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
    }
  });

  it('a NUL byte in the path gets a 400', async () => {
    expect((await get('/index.html%00.png')).status).toBe(400);
  });

  it('other hosts, missing files and folders get a 404', async () => {
    const handler = handlers.get('app')!;
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });
});
