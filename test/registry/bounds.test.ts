import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../../electron/core/registry';
import { useCleanup } from '../helpers/cleanup';

// The registry's responses are bounded: body size, entries per page, strings.

const track = useCleanup();

async function serve(handler: http.RequestListener): Promise<URL> {
  const server = http.createServer(handler);
  track.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

const entry = (i: number, extra: Record<string, unknown> = {}) => ({
  server: { name: `io.example/s${i}`, description: 'd', version: '1.0.0', ...extra },
  _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active' } },
});

describe('registry client bounds', () => {
  it('a body larger than 4 MB is refused with a clear error, even without a content-length', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 6; i++) res.write(chunk);
      res.end();
    });
    await expect(new RegistryClient(base).search(undefined, undefined)).rejects.toThrow(/The registry response is too large/);
  });

  it('a page is cut to 100 entries whatever the registry sends', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ servers: Array.from({ length: 500 }, (_, i) => entry(i)), metadata: { nextCursor: 'x'.repeat(5000) } }));
    });
    const page = await new RegistryClient(base).search(undefined, undefined);
    expect(page.items).toHaveLength(100);
    // An absurd cursor is dropped rather than sent back.
    expect(page.nextCursor).toBeUndefined();
  });

  it('malformed entries are skipped one by one; lists inside an entry are capped', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const packages = Array.from({ length: 50 }, (_, i) => ({ registryType: 'npm', identifier: `p${i}`, version: '1.0.0', transport: { type: 'stdio' } }));
      res.end(JSON.stringify({ servers: [{ server: { name: 42 } }, null, 'x', entry(1, { packages, remotes: 'not a list' })] }));
    });
    const page = await new RegistryClient(base).search(undefined, undefined);
    expect(page.items.map((i) => i.server.name)).toEqual(['io.example/s1']);
    expect(page.skipped).toBe(3);
    expect(page.items[0]!.server.packages).toHaveLength(16);
    expect(page.items[0]!.server.remotes).toEqual([]);
  });

  it('a registry that does not answer JSON, or answers an error, says so', async () => {
    const base = await serve((req, res) => {
      if (req.url?.startsWith('/v0.1/servers?')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>');
      }
      res.writeHead(500);
      res.end();
    });
    await expect(new RegistryClient(base).search(undefined, undefined)).rejects.toThrow(/did not answer with JSON/);
    await expect(new RegistryClient(base).version('a/b', '1')).rejects.toThrow(/answered HTTP 500/);
  });
});
