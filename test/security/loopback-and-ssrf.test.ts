import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../electron/core/net/loopback';
import { assertSafeUrl } from '../../electron/core/net/url-policy';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import type { FetchPort } from '../../electron/core/ports';
import { IpcError } from '../../shared/contract/errors';
import { asMetadata, startScriptedServer } from '../fixtures/auth/scripted-server';
import { makeHarness, type Harness } from '../helpers/auth-harness';
import { makeSelfSignedCert } from '../fixtures/remote/servers';
import { startTestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

// A "remote" MCP server is one whose host is not this machine. Tests may only
// listen on 127.0.0.1, so the remote server is an HTTPS server on 127.0.0.1
// reached as https://mcp.example.test through the core's fetch port: a
// dispatcher that resolves that one name to 127.0.0.1 and trusts a throwaway
// CA. Its metadata then tries to aim Switchboard at another port on this
// machine (a "victim" listener that counts what reaches it).

const REMOTE_HOST = 'mcp.example.test';
const track = useCleanup();

let tls: { key: Buffer; cert: Buffer; dir: string };
beforeAll(async () => {
  const { dir, key, cert } = await makeSelfSignedCert(REMOTE_HOST, `DNS:${REMOTE_HOST}`, 'sb-ssrf-tls-');
  tls = { key: readFileSync(key), cert: readFileSync(cert), dir };
  return () => rmSync(dir, { recursive: true, force: true });
});

type Routes = Record<string, (origin: string) => { status?: number; headers?: Record<string, string>; json?: unknown }>;

/** The remote MCP server: https, reachable only as https://mcp.example.test:<port>. */
async function startRemote(routes: Routes) {
  const requests: string[] = [];
  let origin = '';
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    req.resume();
    requests.push(`${req.method} ${req.url}`);
    const route = routes[`${req.method} ${new URL(req.url ?? '/', origin).pathname}`];
    const out = route ? route(origin) : { status: 404, json: { error: 'not_found' } };
    res.writeHead(out.status ?? 200, { ...(out.json !== undefined ? { 'content-type': 'application/json' } : {}), ...out.headers });
    res.end(out.json !== undefined ? JSON.stringify(out.json) : '');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `https://${REMOTE_HOST}:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({
    connect: {
      ca: tls.cert,
      // Only the remote name is mapped; every other host resolves normally (127.0.0.1 stays itself).
      lookup: (host, options, callback) => {
        if (host !== REMOTE_HOST) return callback(new Error(`unexpected lookup of ${host}`), '', 4);
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      },
    },
  });
  const fetchPort: FetchPort = (input, init) => fetch(input, { ...init, dispatcher: agent } as RequestInit);
  return track({
    origin,
    url: `${origin}/mcp`,
    requests,
    fetch: fetchPort,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await agent.close();
    },
  });
}

/** A local service the remote server would like us to talk to; records every request. */
async function startVictim() {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return track({
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  });
}

function harness(fetchPort?: FetchPort): Harness {
  const h = makeHarness({ deps: fetchPort ? { fetch: fetchPort } : {} });
  track(h);
  return h;
}

async function refusal(p: Promise<unknown>): Promise<IpcError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IpcError);
  expect((error as IpcError).code).toBe('AUTH_FAILED');
  return error as IpcError;
}

const prm = (origin: string, authorizationServer: string) => ({
  resource: `${origin}/mcp`,
  authorization_servers: [authorizationServer],
  scopes_supported: ['read'],
});

describe('only literal localhost and loopback IPs are loopback', () => {
  it('a *.localhost name (resolved through DNS, so it can be anywhere) does not count as this machine', () => {
    for (const host of ['evil.localhost', 'app.localhost', 'localhost.', 'localhost.evil.com', '127.0.0.1.nip.io', '127.1', '0.0.0.0', '[::]'])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(() => assertSafeUrl('http://evil.localhost/token', 'auth-configured', { what: 'token_endpoint' })).toThrow(
      /plain http is only allowed for loopback hosts, not evil\.localhost/,
    );
    expect(() => assertSafeUrl('http://localhost./token', 'auth-configured', { what: 'token_endpoint' })).toThrow(/plain http is only allowed/);
    expect(() => assertSafeUrl('http://evil.localhost/authorize', 'browser')).toThrow();
  });

  it('URL-canonicalised loopback literals still count (127.1, hex, IPv6 and IPv4-mapped ::1)', () => {
    for (const url of [
      'http://127.1/',
      'http://0x7f.1/',
      'http://2130706433/',
      'http://127.9.9.9/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://LOCALHOST/',
    ]) {
      expect(isLoopbackHost(new URL(url).hostname), url).toBe(true);
      expect(assertSafeUrl(url, 'auth-configured', { what: 'x' }).protocol).toBe('http:');
    }
  });

  it('a plain-http server on evil.localhost cannot be added as a "local" server', async () => {
    const t = track(startTestCore());
    const error = await t
      .call('addServer', { config: { transport: 'http', name: 'Evil', url: 'http://evil.localhost:8080/mcp' } })
      .catch((e: { code: string; details: Record<string, string> }) => e);
    expect(error).toMatchObject({ code: 'VALIDATION', details: { url: expect.stringMatching(/plain http is only allowed/) } });
  });
});

describe('a remote server cannot aim discovery at this machine', () => {
  it('baseline: the remote https server with its own https metadata is accepted through the fetch port', async () => {
    const remote = await startRemote({
      'GET /.well-known/oauth-protected-resource/mcp': (o) => ({ json: prm(o, o) }),
      'GET /.well-known/oauth-authorization-server': (o) => ({ json: asMetadata(o) }),
    });
    const plan = await harness(remote.fetch).manager.prepareSignIn({ id: 'r', url: remote.url });
    expect(plan).toMatchObject({ issuer: remote.origin, issuerRelation: 'same-origin' });
    expect(plan.tokenEndpointOrigin).toBeUndefined();
    expect(remote.requests).toContain('GET /.well-known/oauth-authorization-server');
  });

  it('PRM authorization_servers pointing at http://127.0.0.1:<port> is refused before any request reaches that port', async () => {
    const victim = await startVictim();
    victim.hits.length = 0;
    const remote = await startRemote({ 'GET /.well-known/oauth-protected-resource/mcp': (o) => ({ json: prm(o, victim.origin) }) });
    const error = await refusal(harness(remote.fetch).manager.prepareSignIn({ id: 'r', url: remote.url }));
    expect(error.message).toMatch(
      /authorization server URL from protected resource metadata: it points at this computer \(127\.0\.0\.1:\d+\), but the MCP server mcp\.example\.test:\d+ is not on this computer/,
    );
    expect(remote.requests).toEqual(['GET /.well-known/oauth-protected-resource/mcp']);
    expect(victim.hits).toEqual([]);
  });

  it('a WWW-Authenticate resource_metadata URL on this machine is refused before it is fetched', async () => {
    const victim = await startVictim();
    const remote = await startRemote({});
    const error = await refusal(
      harness(remote.fetch).manager.prepareSignIn(
        { id: 'r', url: remote.url },
        { challenge: `Bearer resource_metadata="${victim.origin}/.well-known/oauth-protected-resource"` },
      ),
    );
    expect(error.message).toMatch(/resource_metadata URL from WWW-Authenticate: it points at this computer/);
    expect(victim.hits).toEqual([]);
    expect(remote.requests).toEqual([]);
  });

  it.each([
    ['https on loopback', (v: string) => v.replace('http:', 'https:')],
    ['localhost by name', (v: string) => v.replace('127.0.0.1', 'localhost')],
    ['IPv6 loopback', (v: string) => v.replace('127.0.0.1', '[::1]')],
    ['the unspecified address 0.0.0.0 (reaches this machine)', (v: string) => v.replace('http://127.0.0.1', 'https://0.0.0.0')],
  ])('PRM authorization server on this machine via %s is refused too', async (_name, rewrite) => {
    const victim = await startVictim();
    const remote = await startRemote({ 'GET /.well-known/oauth-protected-resource/mcp': (o) => ({ json: prm(o, rewrite(victim.origin)) }) });
    const error = await refusal(harness(remote.fetch).manager.prepareSignIn({ id: 'r', url: remote.url }));
    expect(error.message).toMatch(/it points at this computer/);
    expect(victim.hits).toEqual([]);
  });

  it.each(['token_endpoint', 'registration_endpoint', 'revocation_endpoint', 'jwks_uri', 'authorization_endpoint'])(
    'AS metadata whose %s is on this machine is refused',
    async (field) => {
      const victim = await startVictim();
      const remote = await startRemote({
        'GET /.well-known/oauth-protected-resource/mcp': (o) => ({ json: prm(o, o) }),
        'GET /.well-known/oauth-authorization-server': (o) => ({ json: asMetadata(o, { [field]: `${victim.origin}/${field}` }) }),
      });
      const error = await refusal(harness(remote.fetch).manager.prepareSignIn({ id: 'r', url: remote.url }));
      expect(error.message).toMatch(new RegExp(`Refusing ${field}: it points at this computer`));
      expect(victim.hits).toEqual([]);
    },
  );

  it('a loopback MCP server may still use loopback metadata on another port', async () => {
    const as = track(await startScriptedServer());
    as.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(as.origin) });
    const mcp = track(await startScriptedServer());
    mcp.route('GET /.well-known/oauth-protected-resource/mcp', { json: prm(mcp.origin, as.origin) });
    const plan = await harness().manager.prepareSignIn({ id: 'l', url: `${mcp.origin}/mcp` });
    expect(plan).toMatchObject({ issuer: as.origin, issuerRelation: 'third-party' });
  });
});

describe('grants stored before this check', () => {
  it("a remote server's stored grant whose token and revocation endpoints are on this machine is neither refreshed nor revoked there", async () => {
    const victim = await startVictim();
    const h = harness();
    const serverUrl = `https://${REMOTE_HOST}/mcp`;
    const issuer = `https://${REMOTE_HOST}`;
    const metadata = { ...asMetadata(issuer), token_endpoint: `${victim.origin}/token`, revocation_endpoint: `${victim.origin}/revoke` };
    const grant = {
      serverId: 'old',
      serverUrl,
      issuer,
      resource: serverUrl,
      sendResource: true,
      clientId: 'c',
      clientKey: `dcr ${issuer}`,
      registration: 'dynamic',
      grantType: 'authorization_code',
      tokenEndpointAuthMethod: 'none',
      metadata,
      scopesRequested: [],
      scopesGranted: [],
      hasRefreshToken: true,
      needsSignIn: false,
      accessTokenExpiresAt: Date.now() - 1000,
      createdAt: 0,
    };
    // What an older version may have stored (settings and vault as the AuthManager writes them).
    createConfStore(h.dir).set('auth.grants', { old: grant });
    await h.vault.put(`auth:grant:old:${issuer} ${serverUrl}`, JSON.stringify({ access_token: 'old-access-token', refresh_token: 'old-refresh-token' }));

    const refreshed = await h.manager
      .fetchFor('old')(serverUrl)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refreshed).toBeInstanceOf(IpcError);
    expect((refreshed as IpcError).message).toMatch(/token_endpoint: it points at this computer/);
    const revoked = await h.manager.revoke('old');
    expect(revoked).toMatchObject({ revokedAtServer: false });
    expect(revoked.message).toMatch(/it points at this computer/);
    expect(victim.hits).toEqual([]);
  });
});

describe('the consent screen names a token endpoint on another origin', () => {
  it('carries tokenEndpointOrigin only when the token endpoint is not on the issuer origin', async () => {
    const tokens = track(await startScriptedServer());
    const s = track(await startScriptedServer());
    s.route('GET /.well-known/oauth-protected-resource/mcp', { json: prm(s.origin, s.origin) });
    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin, { token_endpoint: `${tokens.origin}/token` }) });
    const plan = await harness().manager.prepareSignIn({ id: 'c', url: `${s.origin}/mcp` });
    expect(plan.tokenEndpointOrigin).toBe(tokens.origin);
    expect(plan.issuer).toBe(s.origin);

    s.route('GET /.well-known/oauth-authorization-server', { json: asMetadata(s.origin) });
    expect((await harness().manager.prepareSignIn({ id: 'c', url: `${s.origin}/mcp` })).tokenEndpointOrigin).toBeUndefined();
  });
});
