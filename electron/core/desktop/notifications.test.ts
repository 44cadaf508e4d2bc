import { describe, expect, it } from 'vitest';
import { events, type EventName, type NotificationSwitches, type PayloadOf, type ServerView } from '../../../shared/contract';
import type { DesktopNotification } from '../ports';
import { DEFAULT_NOTIFICATION_SWITCHES, NotificationPolicy } from './notifications';

// When the desktop is told something, and what it is told. Payloads are parsed
// by the contract, as the core's emit does.

function setup(options: { switches?: Partial<NotificationSwitches>; supported?: boolean } = {}) {
  const shown: DesktopNotification[] = [];
  const clock = { t: 1_000_000 };
  const switches = { ...DEFAULT_NOTIFICATION_SWITCHES, ...options.switches };
  const policy = new NotificationPolicy({
    notifier: { supported: () => options.supported ?? true, show: (n) => shown.push(n) },
    switches: () => switches,
    now: () => clock.t,
    serverName: (id) => ({ gh: 'GitHub', fs: 'Files' })[id],
  });
  const send = <E extends EventName>(name: E, payload: PayloadOf<E>) => policy.onEvent(name, events[name].payload.parse(payload) as PayloadOf<E>);
  return { shown, clock, switches, policy, send };
}

const view = (id: string, status: Partial<ServerView['status']>): { server: ServerView } => ({
  server: {
    id,
    name: id === 'gh' ? 'GitHub' : id,
    enabled: true,
    config: { transport: 'stdio', command: 'node', args: [], env: [] },
    status: { state: 'stopped', since: 0, ...status },
  },
});
const gaveUp = (id: string) =>
  view(id, {
    state: 'crashed',
    exitCode: 3,
    reason: 'The server exited with code 3. Gave up after 5 restarts.',
    restart: { attempt: 5, max: 5, gaveUp: true },
  });
const restarting = (id: string) => view(id, { state: 'crashed', exitCode: 3, restart: { attempt: 2, max: 5, gaveUp: false, nextAt: 5 } });
const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });
const diff = (serverId: string, names: string[]) => ({
  serverId,
  diff: { serverId, snapshotAt: 1, changes: names.map((name) => ({ name, kind: 'added' as const, fields: [], after: tool(name) })) },
});

describe('notification policy', () => {
  it('a server that ran out of restarts: once, naming it, opening it on click; restarts on the way are not news', () => {
    const { shown, send } = setup();
    send('serverChanged', restarting('gh'));
    send('serverChanged', view('gh', { state: 'starting' }));
    expect(shown).toEqual([]);
    send('serverChanged', gaveUp('gh'));
    send('serverChanged', gaveUp('gh'));
    expect(shown).toEqual([
      {
        kind: 'serverCrashed',
        title: 'GitHub stopped',
        body: 'It crashed (exit code 3) and Switchboard gave up after 5 restarts. Click to see its log.',
        target: { view: 'server', serverId: 'gh' },
      },
    ]);
  });

  it('sign-in needed: from a refused connection or an expired grant, not from the user signing out', () => {
    const { shown, send } = setup();
    send('serverChanged', view('gh', { state: 'stopped', authRequired: true, reason: 'Signed out. Sign in to connect again.' }));
    expect(shown).toEqual([]);
    send('serverChanged', view('gh', { state: 'error', authRequired: true, reason: 'HTTP 401' }));
    expect(shown.map((n) => [n.kind, n.title, n.target])).toEqual([['signInNeeded', 'GitHub needs you to sign in', { view: 'server', serverId: 'gh' }]]);
    // The grant saying so too is the same condition.
    send('grantChanged', {
      serverId: 'gh',
      grant: {
        serverId: 'gh',
        issuer: 'https://as.example',
        resource: 'https://mcp.example',
        clientId: 'c',
        registration: 'dynamic',
        grantType: 'authorization_code',
        scopesRequested: [],
        scopesGranted: [],
        hasRefreshToken: true,
        revocationSupported: false,
        storage: 'encrypted',
        needsSignIn: true,
        lastError: 'Refreshing the token failed: invalid_grant refresh_token=rt-SECRET-123456',
      },
    });
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(shown)).not.toContain('rt-SECRET');
  });

  it('tools changed: once per distinct change set, with counts and names', () => {
    const { shown, send, clock } = setup();
    send('toolDiffChanged', diff('fs', ['read', 'write']));
    send('toolDiffChanged', diff('fs', ['write', 'read']));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      kind: 'toolsChanged',
      title: 'Files changed its tools',
      body: '2 added: read, write. Review the changes before using them.',
      target: { view: 'server', serverId: 'fs' },
    });
    clock.t += 11 * 60_000;
    send('toolDiffChanged', diff('fs', ['read', 'write', 'delete', 'a', 'b']));
    expect(shown[1]!.body).toBe('5 added: read, write, delete and 2 more. Review the changes before using them.');
    send('toolDiffChanged', { serverId: 'fs', diff: null });
    expect(shown).toHaveLength(2);
  });

  it("a client's config changed: names the app and the servers, never their commands", () => {
    const { shown, send } = setup();
    send('clientConfigChanged', {
      path: '/home/u/.cursor/mcp.json',
      client: 'cursor',
      changes: [
        { kind: 'added', server: 'db', text: 'gained server db (npx db-mcp --password hunter2secret)' },
        { kind: 'changed', server: 'gh', text: 'server gh: its command changed' },
      ],
    });
    expect(shown).toEqual([
      {
        kind: 'clientConfigChanged',
        title: "Cursor's MCP settings changed",
        body: 'Servers 1 added, 1 changed: db, gh. Click to review or import them.',
        target: { view: 'servers' },
      },
    ]);
    send('clientConfigChanged', { path: '/home/u/.cursor/mcp.json', client: 'cursor', changes: [] });
    expect(shown).toHaveLength(1);
  });

  it('a flapping server does not spam: the same condition notifies again only after the cool-down', () => {
    const { shown, send, clock } = setup();
    for (let i = 0; i < 20; i++) {
      send('serverChanged', gaveUp('gh'));
      send('serverChanged', view('gh', { state: 'connected' }));
      clock.t += 10_000;
    }
    expect(shown).toHaveLength(1);
    clock.t += 10 * 60_000;
    send('serverChanged', gaveUp('gh'));
    expect(shown).toHaveLength(2);
  });

  it('caps a burst: many servers failing at once give a few notifications', () => {
    const { shown, send, policy, clock } = setup();
    for (let i = 0; i < 10; i++) send('serverChanged', gaveUp(`s${i}`));
    expect(shown).toHaveLength(4);
    expect(policy.suppressed).toBe(6);
    clock.t += 61_000;
    send('serverChanged', gaveUp('late'));
    expect(shown).toHaveLength(5);
  });

  it('respects each switch, and an OS without notifications', () => {
    const off = setup({ switches: { serverCrashed: false, toolsChanged: false } });
    off.send('serverChanged', gaveUp('gh'));
    off.send('toolDiffChanged', diff('fs', ['x']));
    off.send('serverChanged', view('fs', { state: 'error', authRequired: true }));
    expect(off.shown.map((n) => n.kind)).toEqual(['signInNeeded']);
    // Switching back on does not replay a condition that was already there.
    off.switches.serverCrashed = true;
    off.send('serverChanged', gaveUp('gh'));
    expect(off.shown).toHaveLength(1);
    const unsupported = setup({ supported: false });
    unsupported.send('serverChanged', gaveUp('gh'));
    expect(unsupported.shown).toEqual([]);
  });

  it('cleans hostile names: control characters, bidi overrides, length', () => {
    const { shown, send } = setup();
    send('serverChanged', { server: { ...gaveUp('x').server, name: `ghp_${'a'.repeat(36)}\u202e\n${'n'.repeat(200)}` } });
    expect(shown[0]!.title).not.toMatch(/ghp_a|\u202e|\n/);
    expect(shown[0]!.title.length).toBeLessThanOrEqual(70);
  });
});
