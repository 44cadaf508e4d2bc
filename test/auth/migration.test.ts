import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AuthRequiredError } from '../../electron/core/auth';
import { startAuthorizationServer, type AuthorizationServerFixture } from '../fixtures/auth/authorization-server';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../fixtures/auth/protected-mcp-server';
import { callTool, findCause, makeHarness } from '../helpers/auth-harness';
import { useCleanup } from '../helpers/cleanup';

// SEP-2352: the MCP server's protected resource metadata starts naming another
// authorization server. Two real oidc-provider instances; the SDK MCP server
// accepts only the current one's tokens.

const track = useCleanup();
let oldAs: AuthorizationServerFixture;
let newAs: AuthorizationServerFixture;
let mcp: ProtectedMcpServerFixture;

beforeAll(async () => {
  oldAs = await startAuthorizationServer({ approval: 'auto' });
  newAs = await startAuthorizationServer({ approval: 'auto' });
  mcp = await startProtectedMcpServer({ issuer: oldAs.issuer });
});
afterAll(async () => {
  await mcp?.close();
  await newAs?.close();
  await oldAs?.close();
});

describe('authorization server migration', () => {
  test('the old grant stops working; the plan says the server moved; sign-in registers at the new AS and replaces the grant', async () => {
    const h = track(makeHarness());
    const first = await h.manager.prepareSignIn({ id: 'moving', url: mcp.url });
    expect(first.movedFromIssuer).toBeUndefined();
    const oldGrant = await h.manager.completeSignIn(first.planId);
    expect(oldGrant.issuer).toBe(oldAs.issuer);
    expect(await callTool(h.manager, 'moving', mcp.url, 'echo', { text: 'before' })).toBe('before');

    mcp.moveTo(newAs.issuer);
    const error = await callTool(h.manager, 'moving', mcp.url, 'echo', { text: 'x' }).catch((e: unknown) => e);
    const auth = findCause(error, AuthRequiredError);
    expect(auth).toBeInstanceOf(AuthRequiredError);

    const registrationsBefore = newAs.requests.filter((r) => r.method === 'POST' && r.path === '/reg').length;
    const plan = await h.manager.prepareSignIn({ id: 'moving', url: mcp.url }, { challenge: auth!.challenge });
    expect(plan).toMatchObject({ issuer: newAs.issuer, movedFromIssuer: oldAs.issuer, registration: 'dynamic' });
    expect(plan.addedScopes).toEqual(plan.scopes); // nothing carries over from the other AS's grant
    const grant = await h.manager.completeSignIn(plan.planId);
    expect(grant.issuer).toBe(newAs.issuer);
    expect(grant.clientId).not.toBe(oldGrant.clientId);
    expect(newAs.requests.filter((r) => r.method === 'POST' && r.path === '/reg').length).toBe(registrationsBefore + 1);
    expect(await callTool(h.manager, 'moving', mcp.url, 'echo', { text: 'after' })).toBe('after');

    // The old AS's tokens and DPoP key are gone from the vault; one grant, one key remain.
    const keys = Object.keys(h.vault.snapshot());
    expect(keys.filter((k) => k.startsWith('auth:grant:moving:'))).toEqual([`auth:grant:moving:${newAs.issuer} ${mcp.resource}`]);
    expect(keys.filter((k) => k.startsWith('auth:dpop:moving:'))).toEqual([`auth:dpop:moving:${newAs.issuer} ${mcp.resource}`]);

    // A later sign-in at the new AS is not a move.
    expect((await h.manager.prepareSignIn({ id: 'moving', url: mcp.url })).movedFromIssuer).toBeUndefined();
  });
});
