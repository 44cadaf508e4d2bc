import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayView as Gateway, ServerView } from '../../api';
import { fakeApi } from '../../test/fake-api';
import { useServers } from '../servers';
import { GatewayView } from './GatewayView';
import { useGateway } from './store';

// The Gateway view against the fake core: turning it on, a client created with
// its servers and filters, the token shown once, revoking with a confirmation.

const off: Gateway = { enabled: false, running: false, clients: [], failedAttempts: [] };
const on: Gateway = { enabled: true, running: true, address: 'http://127.0.0.1:4321', clients: [], failedAttempts: [] };
const client = {
  id: 'c1',
  name: 'Cursor',
  createdAt: 0,
  servers: [{ serverId: 's1', allow: [], deny: ['wipe'], hideDestructive: true }],
  connections: 0,
  sessions: 0,
  waiting: 0,
};

beforeAll(() => useGateway.getState().init());
beforeEach(() => {
  useGateway.setState(useGateway.getInitialState(), true);
  // Only what the view reads of a server: its id and name.
  useServers.setState({ order: ['s1'], servers: { s1: { id: 's1', name: 'Files' } as ServerView } });
});

describe('GatewayView', () => {
  it('is off until turned on, then shows where it listens', async () => {
    let state = off;
    fakeApi.use({ getGateway: () => state, setGatewayEnabled: ({ enabled }) => (state = enabled ? on : off) });
    render(<GatewayView />);
    expect((await screen.findByRole('status', { name: 'Gateway status' })).textContent).toMatch(/Off/);
    expect(screen.getByText(/No clients yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Gateway on' }));
    expect((await screen.findByTestId('gateway-address')).textContent).toContain('http://127.0.0.1:4321');
    expect(fakeApi.requests('setGatewayEnabled').at(-1)).toEqual({ enabled: true, port: null });
  });

  it('creates a client with its servers and filters, shows the token once with a config, and revokes after a confirmation', async () => {
    let state = on;
    fakeApi.use({
      getGateway: () => state,
      createGatewayClient: () => {
        state = { ...on, clients: [client] };
        return { client, token: 'sbg_secret-token' };
      },
      revokeGatewayClient: () => {
        state = on;
        return { ok: true };
      },
    });
    render(<GatewayView />);
    const form = await screen.findByRole('form', { name: 'New gateway client' });
    const create = within(form).getByRole('button', { name: 'Create client and show its token' });
    expect((create as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(form).getByRole('textbox', { name: 'Client name' }), { target: { value: 'Cursor' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Files' }));
    const deny = within(form).getByRole('textbox', { name: 'Never these tools of Files' });
    fireEvent.change(deny, { target: { value: 'wipe, ' } });
    fireEvent.blur(deny);
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Hide tools marked destructive' }));
    fireEvent.click(create);
    await waitFor(() => expect(fakeApi.requests('createGatewayClient')).toHaveLength(1));
    expect(fakeApi.requests('createGatewayClient')[0]).toEqual({
      name: 'Cursor',
      servers: [{ serverId: 's1', allow: [], deny: ['wipe'], hideDestructive: true }],
    });

    const panel = await screen.findByRole('region', { name: 'Token for Cursor' });
    expect(within(panel).getByTestId('gateway-token').textContent).toContain('sbg_secret-token');
    expect(JSON.parse(within(panel).getByTestId('gateway-config').textContent!)).toEqual({
      mcpServers: { Files: { type: 'http', url: 'http://127.0.0.1:4321/s/s1/mcp', headers: { Authorization: 'Bearer sbg_secret-token' } } },
    });
    fireEvent.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('sbg_secret-token')).toBeNull();

    const row = await screen.findByRole('listitem', { name: 'Cursor' });
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    expect(fakeApi.requests('revokeGatewayClient')).toHaveLength(0);
    fireEvent.click(within(row).getByRole('button', { name: 'Revoke Cursor now' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Cursor' })).toBeNull());
    expect(fakeApi.requests('revokeGatewayClient')).toEqual([{ id: 'c1' }]);
  });

  it('shows who is connected, the last call and failed attempts as the core reports them', async () => {
    fakeApi.use({ getGateway: () => on });
    render(<GatewayView />);
    await screen.findByTestId('gateway-address');
    act(() =>
      fakeApi.emit('gatewayChanged', {
        ...on,
        clients: [{ ...client, connections: 2, sessions: 1, waiting: 1, lastCall: { serverId: 's1', tool: 'read', at: 0, status: 'ok' } }],
        failedAttempts: [{ at: 0, remote: '127.0.0.1', reason: 'wrong or revoked token' }],
      }),
    );
    expect(screen.getByRole('listitem', { name: 'Cursor' }).textContent).toMatch(
      /connected \(2 open\) · 1 session · 1 call waits for its answer to a server's question.*last call read \(ok\)/,
    );
    expect(screen.getByRole('list', { name: 'Failed attempts' }).textContent).toContain('127.0.0.1 · wrong or revoked token');
  });

  it('writes the client into another app’s config through the export diff and confirmation, by client id (the token stays in the core)', async () => {
    const withClient = { ...on, clients: [client] };
    const desktop = '/home/me/.config/Claude/claude_desktop_config.json';
    fakeApi.use({
      getGateway: () => withClient,
      rotateGatewayToken: () => ({ client, token: 'sbg_rotated-token' }),
      scanClientConfigs: () => ({ files: [], targets: [{ client: 'claude-desktop', scope: 'user', format: 'claude-desktop', path: desktop, exists: true }] }),
      previewClientExport: ({ plaintextConfirmed }) => {
        const key = 'gateway:s1:env:SWITCHBOARD_GATEWAY_TOKEN';
        const yes = (plaintextConfirmed ?? []).includes(key);
        return {
          path: desktop,
          exists: true,
          expectedHash: 'h',
          diff: yes ? [{ op: '+', text: '"SWITCHBOARD_GATEWAY_TOKEN": "••••••"', line: 3 }] : [],
          written: yes ? ['Files'] : [],
          refused: yes ? [] : [{ name: 'Files', reason: 'The variable SWITCHBOARD_GATEWAY_TOKEN is a secret and this client has no way to refer to one' }],
          warnings: [],
          indirections: [],
          needsPlaintext: yes ? [] : [{ serverId: 's1', server: 'Files', key, note: 'Claude Desktop takes the gateway token only in plaintext.' }],
        };
      },
      writeClientExport: () => ({ path: desktop, backup: `${desktop}.bak`, written: ['Files'] }),
    });
    render(<GatewayView />);
    const row = await screen.findByRole('listitem', { name: 'Cursor' });
    fireEvent.click(within(row).getByRole('button', { name: 'Rotate token' }));
    const panel = await screen.findByRole('region', { name: 'Token for Cursor' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Write to a client’s config…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Write Cursor into another app’s config' });
    const confirm = await within(dialog).findByRole('checkbox', { name: /Claude Desktop takes the gateway token only in plaintext/ });
    expect((within(dialog).getByRole('button', { name: /Write 0 to file/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(confirm);
    const write = await within(dialog).findByRole('button', { name: 'Write 1 to file' });
    fireEvent.click(write);
    await screen.findByText(/Wrote Files to/);
    const [sent] = fakeApi.requests('writeClientExport');
    expect(sent).toMatchObject({
      gatewayClientId: 'c1',
      serverIds: ['s1'],
      plaintextConfirmed: ['gateway:s1:env:SWITCHBOARD_GATEWAY_TOKEN'],
      expectedHash: 'h',
    });
    expect(JSON.stringify(fakeApi.requests('previewClientExport'))).not.toContain('sbg_rotated-token');
  });

  it('creates a client with one combined endpoint: its config is one entry for /mcp, and the row shows the address and each server’s prefix', async () => {
    const combined = { ...client, combined: true, prefixes: [{ serverId: 's1', prefix: 'files' }] };
    let state = on;
    fakeApi.use({
      getGateway: () => state,
      createGatewayClient: () => {
        state = { ...on, clients: [combined] };
        return { client: combined, token: 'sbg_secret-token' };
      },
      updateGatewayClient: ({ combined: next }) => {
        state = { ...on, clients: [next ? combined : client] };
        return { client: state.clients[0]! };
      },
    });
    render(<GatewayView />);
    const form = await screen.findByRole('form', { name: 'New gateway client' });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Client name' }), { target: { value: 'Cursor' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Files' }));
    const switchBox = within(form).getByRole('checkbox', { name: 'One combined endpoint' }) as HTMLInputElement;
    expect(switchBox.checked).toBe(false);
    expect(switchBox.getAttribute('aria-describedby')).toBeTruthy();
    fireEvent.click(switchBox);
    fireEvent.click(within(form).getByRole('button', { name: 'Create client and show its token' }));
    await waitFor(() => expect(fakeApi.requests('createGatewayClient')).toHaveLength(1));
    expect(fakeApi.requests('createGatewayClient')[0]).toMatchObject({ name: 'Cursor', combined: true });

    const panel = await screen.findByRole('region', { name: 'Token for Cursor' });
    expect(JSON.parse(within(panel).getByTestId('gateway-config').textContent!)).toEqual({
      mcpServers: { Switchboard: { type: 'http', url: 'http://127.0.0.1:4321/mcp', headers: { Authorization: 'Bearer sbg_secret-token' } } },
    });
    const row = await screen.findByRole('listitem', { name: 'Cursor' });
    const endpoint = within(row).getByRole('group', { name: 'Combined endpoint of Cursor' });
    expect(within(endpoint).getByTestId('gateway-combined-url').textContent).toBe('http://127.0.0.1:4321/mcp');
    expect(endpoint.textContent).toContain('files__… for Files');

    // Turned off from the row's access editor.
    fireEvent.click(within(row).getByRole('button', { name: 'Edit access' }));
    fireEvent.click(within(row).getByRole('checkbox', { name: 'One combined endpoint' }));
    await waitFor(() => expect(fakeApi.requests('updateGatewayClient')).toEqual([{ id: 'c1', combined: false }]));
    await waitFor(() => expect(within(row).queryByRole('group', { name: 'Combined endpoint of Cursor' })).toBeNull());
  });
});
