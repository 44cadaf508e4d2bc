import { describe, expect, it, vi } from 'vitest';
import { AppDocuments } from '../core/mcp-apps';

// The switchboard-app:// handler with a stand-in `electron` module: it answers from the core's documents,
// only on the document's own server label, with the document's CSP.
vi.mock('electron', () => ({ net: {}, protocol: {}, app: { on: vi.fn() }, session: {}, shell: {} }));
const { appFrameHandler } = await import('./app-protocol');
const { CSP } = await import('./security');

describe('switchboard-app:// (MCP App frames)', () => {
  it('serves a document on its own server origin only, with its CSP header', async () => {
    const documents = new AppDocuments();
    const doc = documents.add({ serverId: 's1', tool: 't', resourceUri: 'ui://x/y', html: '<p>app</p>', csp: "default-src 'none'" });
    const other = documents.labelFor('s2');
    const handler = appFrameHandler(() => documents);
    const ok = await handler(new Request(`switchboard-app://${doc.label}/${doc.documentId}`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await ok.text()).toBe('<p>app</p>');
    expect((await handler(new Request(`switchboard-app://${other}/${doc.documentId}`))).status).toBe(404);
    expect((await handler(new Request(`switchboard-app://${doc.label}/`))).status).toBe(404);
    expect((await appFrameHandler(() => undefined)(new Request(`switchboard-app://${doc.label}/${doc.documentId}`))).status).toBe(503);
  });

  it("the renderer's CSP frames only switchboard-app: origins", () => {
    expect(CSP).toContain('frame-src switchboard-app:;');
  });
});
