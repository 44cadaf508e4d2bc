// MCP Apps through the real core against an SDK v2 server built with the ext-apps server helpers
// (test/fixtures/servers/apps-server.mjs): the extension is declared, the ui:// resource is read with
// its MIME type and size checked, the document is served only on its server's own origin with its CSP,
// and the app may call only the tools visible to it; everything it does is recorded in History.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { firstText, startTestCore, type TestCore } from '../helpers/core';

const track = useCleanup();
const APPS_SERVER = join(import.meta.dirname, '../fixtures/servers/apps-server.mjs');

async function connectApps(t: TestCore, name = 'Apps'): Promise<string> {
  const { server } = await t.call('addServer', { config: { transport: 'stdio', name, command: process.execPath, args: [APPS_SERVER] } });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server.id;
}

/** Reads drain the history queue first. */
const history = async (t: TestCore, client: string) => (await t.call('queryHistory', { client })).records;

describe('MCP Apps in the core', () => {
  it('declares the io.modelcontextprotocol/ui extension with the MCP App MIME type', async () => {
    const t = track(startTestCore());
    const id = await connectApps(t);
    const response = await t.call('callTool', { serverId: id, tool: 'ui-declared', arguments: {}, callId: 'ui' });
    expect(JSON.parse(firstText(response)!)).toEqual({ mimeTypes: ['text/html;profile=mcp-app'] });
  });

  it("lists a tool's ui:// resource and visibility", async () => {
    const t = track(startTestCore());
    const id = await connectApps(t);
    const { tools } = await t.call('listTools', { serverId: id });
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName['show-dashboard']!.ui).toEqual({ resourceUri: 'ui://apps/dashboard', visibility: ['model', 'app'] });
    expect(byName['refresh-stats']!.ui?.visibility).toEqual(['app']);
    expect(byName['model-only-secret']!.ui).toEqual({ visibility: ['model'] });
    expect(byName['ui-declared']!.ui).toBeUndefined();
  });

  it("serves the app document only on its server's own origin, with the restrictive CSP as a header", async () => {
    const t = track(startTestCore());
    const id = await connectApps(t);
    const other = await connectApps(t, 'Apps 2');
    const { app } = await t.call('openApp', { serverId: id, tool: 'show-dashboard' });
    expect(app.frameOrigin).toMatch(/^switchboard-app:\/\/[0-9a-f]{32}$/);
    expect(app.frameUrl).toBe(`${app.frameOrigin}/${app.documentId}`);
    expect(app.csp).toContain("default-src 'none'");
    expect(app.csp).toContain("connect-src 'none'");
    expect(app.csp).toContain("frame-src 'none'");
    expect(app.csp).not.toMatch(/unsafe-eval|\*/);
    expect(app.prefersBorder).toBe(true);
    const label = new URL(app.frameOrigin).host;
    const served = t.core.apps.documents.serve(label, `/${app.documentId}`);
    expect(served.status).toBe(200);
    expect(served.headers['Content-Security-Policy']).toBe(app.csp);
    expect(served.body).toContain('Visitors dashboard');
    // Another server's origin, a wrong path, a POST: nothing.
    const { app: otherApp } = await t.call('openApp', { serverId: other, tool: 'show-dashboard' });
    const otherLabel = new URL(otherApp.frameOrigin).host;
    expect(otherLabel).not.toBe(label);
    expect(t.core.apps.documents.serve(otherLabel, `/${app.documentId}`).status).toBe(404);
    expect(t.core.apps.documents.serve(label, `/${app.documentId}x`).status).toBe(404);
    expect(t.core.apps.documents.serve(label, `/${app.documentId}`, 'POST').status).toBe(405);
    // Closed: no longer served.
    await t.call('closeApp', { serverId: id, documentId: app.documentId });
    expect(t.core.apps.documents.serve(label, `/${app.documentId}`).status).toBe(404);
  });

  it('refuses a resource that is not an MCP App, and one over the size bound', async () => {
    const t = track(startTestCore());
    const id = await connectApps(t);
    await expect(t.call('openApp', { serverId: id, tool: 'show-plain' })).rejects.toMatchObject({
      code: 'PROTOCOL_ERROR',
      message: expect.stringContaining('not an MCP App'),
    });
    await expect(t.call('openApp', { serverId: id, tool: 'show-huge' })).rejects.toMatchObject({ message: expect.stringContaining('larger than 2 MiB') });
    await expect(t.call('openApp', { serverId: id, tool: 'ui-declared' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never loosens the CSP: a hostile domain list is refused entry by entry, unknown permissions are dropped', async () => {
    const t = track(startTestCore());
    const id = await connectApps(t);
    const { app } = await t.call('openApp', { serverId: id, tool: 'show-wide-open' });
    expect(app.csp).toContain('connect-src https://ok.example.com;');
    expect(app.csp).toContain("frame-src 'none'");
    expect(app.csp).not.toMatch(/unsafe-eval|connect-src \*|https: |script-src \*/);
    expect(app.refused).toHaveLength(6); // four connectDomains, *.com, usb
    expect(app.allow).toBe('camera');
  });

  it('the app calls only the tools visible to it, on its own server; each call, refusal, read and link is in History', async () => {
    const opened: string[] = [];
    const t = track(startTestCore({ browser: { open: async (url) => void opened.push(url) } }));
    const id = await connectApps(t);
    const other = await connectApps(t, 'Apps 2');
    const { app } = await t.call('openApp', { serverId: id, tool: 'show-dashboard' });
    const doc = { serverId: id, documentId: app.documentId };
    const ok = await t.call('appCallTool', { ...doc, tool: 'refresh-stats', arguments: {} });
    expect((ok.result.content as { text: string }[])[0]!.text).toBe('stats: 42 calls today');
    await expect(t.call('appCallTool', { ...doc, tool: 'model-only-secret', arguments: {} })).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    await expect(t.call('appCallTool', { ...doc, tool: 'no-such-tool', arguments: {} })).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    // The document speaks for its own server only.
    await expect(t.call('appCallTool', { serverId: other, documentId: app.documentId, tool: 'refresh-stats', arguments: {} })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const read = await t.call('appReadResource', { ...doc, uri: 'ui://apps/dashboard' });
    expect(read.result.contents).toHaveLength(1);
    // ui/open-link: the URL guard, then the user's answer.
    await expect(t.call('appOpenLink', { ...doc, url: 'javascript:alert(1)', step: 'check' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('appOpenLink', { ...doc, url: 'file:///etc/passwd', step: 'open' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await t.call('appOpenLink', { ...doc, url: 'https://example.com/docs?q=1', step: 'check' })).toEqual({
      url: 'https://example.com/docs?q=1',
      origin: 'https://example.com',
    });
    expect(opened).toEqual([]);
    await t.call('appOpenLink', { ...doc, url: 'https://example.com/docs?q=1', step: 'open' });
    expect(opened).toEqual(['https://example.com/docs?q=1']);
    await t.call('appNote', { ...doc, kind: 'message', method: 'ui/message', text: 'hello from the app' });

    const records = await history(t, 'App ui://apps/dashboard');
    const summary = records.map((r) => `${r.tool}:${r.status}`).sort();
    expect(summary).toEqual(
      [
        'refresh-stats:ok',
        'model-only-secret:error',
        'no-such-tool:error',
        'resources/read:ok',
        'ui/open-link:error',
        'ui/open-link:error',
        'ui/open-link:ok',
        'ui/message:ok',
      ].sort(),
    );
    expect(records.find((r) => r.tool === 'model-only-secret')!.errorMessage).toContain('may not call model-only-secret');
  });
});
