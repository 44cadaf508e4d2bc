import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/contract';
import { MAX_TRAY_SERVERS, menuText, trayModel } from './tray-model';

// The tray's counts, labels and quick actions, from the server list alone.

type State = ServerView['status']['state'];
const server = (id: string, state: State, extra: Partial<ServerView['status']> = {}, trust?: { approved: boolean }): ServerView =>
  ({ id, name: id, enabled: true, status: { state, since: 0, ...extra }, trust }) as unknown as ServerView;

describe('tray model', () => {
  it('counts connected servers and servers with errors for the tooltip, header and macOS title', () => {
    const model = trayModel(
      [server('a', 'connected'), server('b', 'connected'), server('c', 'crashed'), server('d', 'error'), server('e', 'stopped')],
      'darwin',
    );
    expect(model.counts).toEqual({ total: 5, connected: 2, errors: 2 });
    expect(model.tooltip).toBe('Switchboard: 2 of 5 servers connected, 2 with errors');
    expect(model.header).toBe('2 of 5 servers connected, 2 with errors');
    expect(model.title).toBe('2 · 2 ⚠');
    expect(trayModel([server('a', 'connected')], 'linux')).toMatchObject({ tooltip: 'Switchboard: 1 of 1 server connected', title: '1' });
    expect(trayModel([], 'darwin')).toMatchObject({ tooltip: 'Switchboard: no servers yet', header: 'No servers yet', title: '', servers: [] });
  });

  it('offers the action that fits each state, and sends approvals and sign-ins to the window', () => {
    const model = trayModel(
      [
        server('on', 'connected'),
        server('off', 'stopped', {}, { approved: true }),
        server('new', 'stopped', {}, { approved: false }),
        server('auth', 'error', { authRequired: true }),
        server('boot', 'starting'),
        server('dead', 'crashed', { restart: { attempt: 5, max: 5, gaveUp: true } }),
      ],
      'linux',
    );
    const byId = Object.fromEntries(model.servers.map((s) => [s.serverId, s]));
    expect(byId.on).toMatchObject({ label: 'on: Connected', action: 'disconnect', actionLabel: 'Disconnect' });
    expect(byId.off).toMatchObject({ label: 'off: Stopped', action: 'connect', actionLabel: 'Connect' });
    expect(byId.new).toMatchObject({ action: 'open', actionLabel: 'Review and approve…' });
    expect(byId.auth).toMatchObject({ label: 'auth: Sign-in needed', action: 'open', actionLabel: 'Sign in…' });
    expect(byId.boot).toMatchObject({ action: 'disconnect', actionLabel: 'Stop' });
    expect(byId.dead).toMatchObject({ label: 'dead: Crashed', action: 'connect', actionLabel: 'Reconnect' });
    // Attention first, then connected, then the rest.
    expect(model.servers.map((s) => s.serverId)).toEqual(['auth', 'dead', 'on', 'boot', 'new', 'off']);
  });

  it('keeps the menu short and the labels clean', () => {
    const many = Array.from({ length: MAX_TRAY_SERVERS + 4 }, (_, i) => server(`s${String(i).padStart(2, '0')}`, 'stopped'));
    const model = trayModel(many, 'linux');
    expect(model.servers).toHaveLength(MAX_TRAY_SERVERS);
    expect(model.hidden).toBe(4);
    expect(menuText('evil\u202ename\nwith\u0007controls')).toBe('evil name with controls');
    expect(menuText('x'.repeat(100))).toHaveLength(40);
    const win = trayModel([{ ...server('a', 'stopped'), name: 'R&D tools' }], 'win32');
    expect(win.servers[0]!.label).toBe('R&&D tools: Stopped');
    expect(trayModel([{ ...server('a', 'stopped'), name: 'R&D tools' }], 'darwin').servers[0]!.label).toBe('R&D tools: Stopped');
  });
});
