import { describe, expect, it, vi } from 'vitest';
import { made, StandIn, type StandInOptions } from './net-stand-in';

// A whole MCP session through the real core over the app's fetch port
// (electron/main/net-fetch.ts), with net.request as a stand-in that speaks real
// HTTP. The adapter's own tests are beside it in electron/main/net-fetch.test.ts.
vi.mock('electron', () => ({
  app: { whenReady: () => Promise.resolve() },
  net: { request: (options: StandInOptions) => new StandIn(options) },
  session: { defaultSession: { setCertificateVerifyProc: () => undefined } },
}));

const { createNetFetch } = await import('../../electron/main/net-fetch');

describe('net.fetch adapter through the real core', () => {
  it('carries a whole MCP session through the real core', async () => {
    const { startSdkServer } = await import('../fixtures/remote/servers');
    const { startTestCore } = await import('../helpers/core');
    const mcp = await startSdkServer();
    const t = startTestCore({
      fetch: createNetFetch(
        (o) => new StandIn(o as StandInOptions) as never,
        async () => undefined,
      ),
    });
    try {
      const before = made.length;
      const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Via net', url: mcp.url } });
      const connected = await t.call('connectServer', { serverId: server.id });
      expect(connected.server.status.state).toBe('connected');
      const echo = await t.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'hi' }, callId: 'n1' });
      expect(echo.status).toBe('ok');
      expect(made.length - before).toBeGreaterThanOrEqual(4);
      expect(made.slice(before).every((r) => r.options.redirect === 'manual')).toBe(true);
    } finally {
      await t.close();
      await mcp.close();
    }
  });

  it("names Chromium's failures the way it names Node's (refused port through the core)", async () => {
    const { refusedPortUrl } = await import('../fixtures/remote/servers');
    const { startTestCore } = await import('../helpers/core');
    const t = startTestCore({
      fetch: createNetFetch(
        (o) => new StandIn(o as StandInOptions) as never,
        async () => undefined,
      ),
    });
    try {
      const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Down', url: await refusedPortUrl() } });
      const status = (await t.call('connectServer', { serverId: server.id })).server.status;
      expect(status.state).toBe('error');
      expect(status.reason).toMatch(/connection was refused \(nothing is listening on that port\)/);
    } finally {
      await t.close();
    }
  });
});
