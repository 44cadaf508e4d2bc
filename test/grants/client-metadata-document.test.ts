import { describe, expect, it } from 'vitest';
import { asMetadata, startScriptedServer, type ScriptedServer } from '../fixtures/auth/scripted-server';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, type TestCore } from '../helpers/core';

// A Client ID Metadata Document URL configured in the server dialog reaches the
// consent plan: with an AS that supports CIMD it is the registration method.

let t: TestCore | undefined;
let s: ScriptedServer | undefined;
const track = useCleanup();

describe('client ID metadata documents', () => {
  it('are used where the authorization server supports them', async () => {
    s = track(await startScriptedServer());
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: { resource: `${s.origin}/mcp`, authorization_servers: [s.origin] } });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin, { client_id_metadata_document_supported: true }) });
    t = track(startTestCore());
    const cimd = 'https://example.com/oauth/switchboard.json';
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'CIMD', url: `${s.origin}/mcp`, clientMetadataUrl: cimd } });
    expect(server.config.transport === 'http' && server.config.clientMetadataUrl).toBe(cimd);
    const { plan } = await t.call('prepareSignIn', { serverId: server.id });
    expect(plan.registration).toBe('client-id-metadata-document');
  });

  it('must be an https URL with a path', async () => {
    t = track(startTestCore());
    for (const bad of ['http://example.com/c.json', 'https://example.com/', 'not a url']) {
      const error = await t
        .call('addServer', { config: { transport: 'http', name: `x${bad.length}`, url: 'https://mcp.example.com/mcp', clientMetadataUrl: bad } })
        .catch((e: { code: string; details: Record<string, string> }) => e);
      expect(error, bad).toMatchObject({ code: 'VALIDATION', details: { clientMetadataUrl: expect.stringContaining('https') } });
    }
  });
});
