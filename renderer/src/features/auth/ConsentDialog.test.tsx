import { render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsentPlanView, GrantView, ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { ConsentDialog } from './ConsentDialog';
import { GrantPanel } from './GrantPanel';
import { useAuth } from './store';

// The consent screen and the Sign-in tab against the fake core: a server that moved
// to another authorization server (SEP-2352) and a DPoP-bound grant (RFC 9449).

const plan = (patch: Partial<ConsentPlanView> = {}): ConsentPlanView => ({
  planId: 'p1',
  serverId: 'srv',
  serverUrl: 'https://mcp.example/mcp',
  resource: 'https://mcp.example/mcp',
  resourceSent: true,
  issuer: 'https://new-as.example',
  issuerRelation: 'third-party',
  registration: 'dynamic',
  scopes: ['mcp:read'],
  scopeSource: 'scopes_supported',
  addedScopes: ['mcp:read'],
  stepUp: false,
  revocationSupported: true,
  grantType: 'authorization_code',
  ...patch,
});

const grant = (patch: Partial<GrantView> = {}): GrantView => ({
  serverId: 'srv',
  issuer: 'https://as.example',
  resource: 'https://mcp.example/mcp',
  clientId: 'client-1',
  registration: 'dynamic',
  grantType: 'authorization_code',
  scopesRequested: ['mcp:read'],
  scopesGranted: ['mcp:read'],
  hasRefreshToken: true,
  revocationSupported: true,
  storage: 'encrypted',
  needsSignIn: false,
  ...patch,
});

const server = { id: 'srv', name: 'Remote', enabled: true, status: { authRequired: false } } as unknown as ServerView;

beforeEach(() => {
  fakeApi.reset();
  useAuth.setState(useAuth.getInitialState(), true);
});

describe('ConsentDialog', () => {
  it('says that the server moved, from which issuer to which, and that the token will be DPoP-bound', () => {
    useAuth.setState({ signIn: { serverId: 'srv', phase: 'consent', plan: plan({ movedFromIssuer: 'https://old-as.example', dpopAlg: 'ES256' }) } });
    render(<ConsentDialog />);
    const moved = screen.getByTestId('consent-moved');
    expect(moved.textContent).toContain('moved to another authorization server');
    expect(moved.textContent).toContain('https://old-as.example');
    expect(moved.textContent).toContain('https://new-as.example');
    expect(screen.getByTestId('consent-dpop').textContent).toContain('DPoP, ES256');
    expect(screen.getByRole('button', { name: 'Continue in browser' })).toBeTruthy();
  });

  it('a first sign-in at a Bearer-only AS shows neither', () => {
    useAuth.setState({ signIn: { serverId: 'srv', phase: 'consent', plan: plan() } });
    render(<ConsentDialog />);
    expect(screen.queryByTestId('consent-moved')).toBeNull();
    expect(screen.getByTestId('consent-dpop').textContent).toContain('Bearer token');
  });
});

describe('GrantPanel', () => {
  it('shows a sender-constrained token with its key thumbprint', async () => {
    fakeApi.use({
      getGrant: () => ({ grant: grant({ dpop: { alg: 'ES256', thumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', senderConstrained: true } }) }),
    });
    render(<GrantPanel server={server} />);
    const binding = await screen.findByTestId('token-binding');
    expect(binding.textContent).toContain('sender-constrained (DPoP, ES256)');
    expect(binding.textContent).toContain('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('a bearer grant says so', async () => {
    fakeApi.use({ getGrant: () => ({ grant: grant() }) });
    render(<GrantPanel server={server} />);
    await waitFor(() => expect(screen.getByTestId('token-binding').textContent).toBe('bearer token (no proof of possession)'));
  });
});
