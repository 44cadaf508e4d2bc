import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { IpcError, type ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { ServerDialog } from './ServerDialog';

// The server dialog's OAuth section for workload identity and the enterprise IdP:
// what it sends (write-only secrets only when typed), the field errors the core
// answers with, and stored secrets shown as stored, never as values.

afterEach(() => fakeApi.reset());

const view = (oauthClient?: Extract<ServerView['config'], { transport: 'http' }>['oauthClient']): ServerView => ({
  id: 's1',
  name: 'Remote',
  enabled: true,
  config: {
    transport: 'http',
    url: 'https://mcp.example.com/mcp',
    mode: 'auto',
    headers: [],
    omitResourceParameter: false,
    ...(oauthClient ? { oauthClient } : {}),
  },
  status: { state: 'stopped', since: 0 },
});

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

function openRemote() {
  render(<ServerDialog onClose={() => undefined} />);
  fireEvent.click(screen.getByRole('radio', { name: /Remote \(HTTP\)/ }));
  type('Name', 'Remote');
  type('Server URL', 'https://mcp.example.com/mcp');
  type('Client ID', 'workload-client');
}

describe('ServerDialog OAuth section', () => {
  it('workload identity from a token file sends the path only, no private key field', async () => {
    fakeApi.use({ addServer: () => ({ server: view() }) });
    openRemote();
    fireEvent.change(screen.getByLabelText('Sign-in method'), { target: { value: 'workload_identity' } });
    expect(screen.getByRole('radiogroup', { name: 'Workload token source' })).toBeTruthy();
    expect(screen.queryByLabelText('Private key (PEM)')).toBeNull();
    type('Token file path', '/var/run/secrets/tokens/mcp-token');
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(fakeApi.requests('addServer')).toHaveLength(1));
    expect(fakeApi.requests('addServer')[0]!.config).toMatchObject({
      oauthClient: {
        clientId: 'workload-client',
        grantType: 'workload_identity',
        workloadToken: { source: 'file', path: '/var/run/secrets/tokens/mcp-token' },
      },
    });
  });

  it('a pasted workload token and the environment-variable source', async () => {
    fakeApi.use({ addServer: () => ({ server: view() }) });
    openRemote();
    fireEvent.change(screen.getByLabelText('Sign-in method'), { target: { value: 'workload_identity' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Environment variable' }));
    type('Variable name', 'AZURE_FEDERATED_TOKEN_FILE');
    fireEvent.click(screen.getByRole('radio', { name: 'Paste a token' }));
    type('Workload token (JWT)', ' eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3In0.c2ln ');
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(fakeApi.requests('addServer')).toHaveLength(1));
    expect(fakeApi.requests('addServer')[0]!.config).toMatchObject({
      oauthClient: { workloadToken: { source: 'stored', value: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ3In0.c2ln' } },
    });
  });

  it('the enterprise IdP: issuer, client id and secret at the IdP; field errors from the core are shown', async () => {
    let attempts = 0;
    fakeApi.use({
      addServer: () => {
        attempts += 1;
        if (attempts === 1) throw new IpcError('VALIDATION', 'Check the sign-in settings.', { idpIssuer: 'Use https (plain http only on this computer)' });
        return { server: view() };
      },
    });
    openRemote();
    fireEvent.change(screen.getByLabelText('Sign-in method'), { target: { value: 'enterprise' } });
    type('Identity provider issuer URL', 'http://login.corp.example');
    type('Client ID at the identity provider', 'switchboard-at-idp');
    type('Client secret at the identity provider', 'idp-secret');
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    expect(await screen.findByText('Use https (plain http only on this computer)')).toBeTruthy();
    expect(screen.getByLabelText('Identity provider issuer URL').getAttribute('aria-invalid')).toBe('true');
    expect(fakeApi.requests('addServer')[0]!.config).toMatchObject({
      oauthClient: {
        grantType: 'enterprise',
        enterprise: { idpIssuer: 'http://login.corp.example', idpClientId: 'switchboard-at-idp', idpClientSecret: 'idp-secret' },
      },
    });
    type('Identity provider issuer URL', 'https://login.corp.example');
    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(fakeApi.requests('addServer')).toHaveLength(2));
  });

  it('editing: stored secrets show as stored and are kept (not sent) unless replaced', async () => {
    fakeApi.use({ updateServer: () => ({ server: view() }) });
    const existing = view({
      clientId: 'app-at-as',
      hasClientSecret: true,
      hasPrivateKey: false,
      grantType: 'enterprise',
      enterprise: { idpIssuer: 'https://login.corp.example', idpClientId: 'switchboard-at-idp', hasIdpClientSecret: true },
    });
    render(<ServerDialog existing={existing} onClose={() => undefined} />);
    expect((screen.getByLabelText('Identity provider issuer URL') as HTMLInputElement).value).toBe('https://login.corp.example');
    expect((screen.getByLabelText('Client secret at the identity provider') as HTMLInputElement).value).toBe('');
    expect(screen.getAllByText('A secret is stored; type to replace it.')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fakeApi.requests('updateServer')).toHaveLength(1));
    const sent = fakeApi.requests('updateServer')[0]!.config;
    expect(sent).toMatchObject({ oauthClient: { grantType: 'enterprise', enterprise: { idpClientId: 'switchboard-at-idp' } } });
    expect(JSON.stringify(sent)).not.toMatch(/idpClientSecret|clientSecret/);
  });
});
