import { describe, expect, test } from 'vitest';
import { AuthRequiredError, StepUpRequiredError } from '../../electron/core/auth';
import { startScriptedServer } from '../fixtures/auth/scripted-server';
import { makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// The authorized fetch of a server without a grant (most servers): no token work on the
// call path, but the same rules as with one: the caller's own headers go through, only
// same-origin redirects are followed, and a server that wants credentials says so.

const track = useCleanup();

async function setup() {
  const h = track(makeHarness());
  const s = track(await startScriptedServer());
  const elsewhere = track(await startScriptedServer({ '/grab': (r) => ({ json: { auth: r.headers.authorization ?? null } }) }));
  return { h, s, elsewhere, fetchMcp: h.manager.fetchFor('plain'), url: `${s.origin}/mcp` };
}

describe('authorized fetch without a grant', () => {
  test("passes the caller's headers through and reports the exchange with them", async () => {
    const { h, s, fetchMcp, url } = await setup();
    s.route('/mcp', (r) => ({ json: { auth: r.headers.authorization ?? null, body: r.body } }));
    const res = await fetchMcp(url, { method: 'POST', headers: { Authorization: 'ApiKey static-key-1', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await res.json()).toEqual({ auth: 'ApiKey static-key-1', body: '{"a":1}' });
    const mcp = h.exchanges.filter((e) => e.phase === 'mcp');
    expect(mcp).toHaveLength(1);
    expect(mcp[0]!.requestHeaders.authorization).toBe('ApiKey static-key-1');
    expect(mcp[0]!.responseHeaders['content-type']).toMatch(/json/);
  });

  test('follows a same-origin redirect (303 turns a POST into a GET), never a cross-origin one', async () => {
    const { s, elsewhere, fetchMcp, url } = await setup();
    s.route('/mcp', { status: 303, headers: { Location: '/mcp2' } });
    s.route('/mcp2', (r) => ({ json: { method: r.method, auth: r.headers.authorization ?? null } }));
    const same = await fetchMcp(url, { method: 'POST', headers: { Authorization: 'ApiKey k' }, body: '{}' });
    expect(await same.json()).toEqual({ method: 'GET', auth: 'ApiKey k' });

    s.route('/mcp', { status: 307, headers: { Location: `${elsewhere.origin}/grab` } });
    const cross = await fetchMcp(url, { method: 'POST', headers: { Authorization: 'ApiKey k' }, body: '{}' });
    expect(cross.status).toBe(307);
    expect(elsewhere.requests).toHaveLength(0);
  });

  test('a 401 asks for sign-in with the challenge; a 403 insufficient_scope asks for a step-up; another 403 passes', async () => {
    const { s, fetchMcp, url } = await setup();
    s.route('/mcp', { status: 401, headers: { 'WWW-Authenticate': 'Bearer resource_metadata="https://x.example/prm"' } });
    const unauthorized = await fetchMcp(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(AuthRequiredError);
    expect((unauthorized as AuthRequiredError).challenge).toMatch(/resource_metadata/);

    s.route('/mcp', { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="a b"' } });
    const forbidden = await fetchMcp(url, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(StepUpRequiredError);

    s.route('/mcp', { status: 403, text: 'no' });
    expect((await fetchMcp(url, { method: 'POST', body: '{}' })).status).toBe(403);
  });
});
