import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';

// Custom headers marked secret live in the vault: sent to the server on every
// request, never in settings, never back to the renderer.

let t: TestCore | undefined;
let as: AuthorizationServerFixture | undefined;
let rs: ProtectedMcpServerFixture | undefined;
const track = useCleanup();

describe('secret headers', () => {
  it('reach the server but never settings or the server view; an edit that omits the value keeps it', async () => {
    as = track(await startAuthorizationServer());
    rs = track(await startProtectedMcpServer({ issuer: as.issuer }));
    t = track(startTestCore());
    const value = 'Bearer static-api-key-0123456789';
    const { server } = await t.call('addServer', {
      config: {
        transport: 'http',
        name: 'Keyed',
        url: rs.url,
        headers: [
          { name: 'Authorization', value, secret: true },
          { name: 'X-Team', value: 'blue', secret: false },
        ],
      },
    });
    expect(JSON.stringify(server)).not.toContain('static-api-key');
    expect(server.config.transport === 'http' && server.config.headers).toEqual([
      { name: 'Authorization', secret: true, hasValue: true },
      { name: 'X-Team', secret: false, value: 'blue', hasValue: true },
    ]);
    expect(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')).not.toContain('static-api-key');

    await t.call('connectServer', { serverId: server.id }); // the fixture rejects the key: fine, we only look at what was sent
    expect(rs.authorizationHeaders).toContain(value);

    // Edit without retyping the secret: it stays.
    await t.call('updateServer', {
      serverId: server.id,
      config: { transport: 'http', name: 'Keyed', url: rs.url, headers: [{ name: 'Authorization', secret: true }] },
    });
    const before = rs.authorizationHeaders.length;
    await t.call('connectServer', { serverId: server.id });
    expect(rs.authorizationHeaders.slice(before)).toContain(value);
  });
});
