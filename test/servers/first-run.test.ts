import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { addApprovedNodeServer, FIXTURE_SERVER, startTestCore, type TestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

// The states a new user meets first: a server that logs to stdout, one that
// never answers, a relative command, and the default working directory.

const track = useCleanup();
let t: TestCore;

const addAndApprove = (args: string[], extra: Record<string, unknown> = {}): Promise<ServerView> => addApprovedNodeServer(t, args, extra);

describe('first-run states of a local server', () => {
  it('stops a server that writes to stdout before initialize at once, saying servers must log to stderr', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'stdout-at-start']);
    const started = Date.now();
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(view.status.state).toBe('error');
    expect(view.status.failure).toBe('stdout-before-initialize');
    expect(view.status.reason).toContain('servers must log to stderr');
    // The offending line, quoted without its terminal colour codes.
    expect(view.status.reason).toContain('“my-server v1.0 listening on stdio”');
    expect(view.status.reason).not.toContain('\u001b');
    expect(t.core.servers.pids()).toEqual([]);
  });

  it("quotes the offending line bounded, with the server's secrets scrubbed", async () => {
    t = track(startTestCore());
    const secret = 'sk-live-first-run-0123456789abcdef';
    const server = await addAndApprove([FIXTURE_SERVER, 'stdout-at-start=FIXTURE_TOKEN'], { env: [{ name: 'FIXTURE_TOKEN', value: secret, secret: true }] });
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status.failure).toBe('stdout-before-initialize');
    expect(view.status.reason).toContain('token=');
    expect(view.status.reason).not.toContain(secret);
    expect(view.status.reason!.length).toBeLessThan(600);
    expect(JSON.stringify(view.status)).not.toContain(secret);
  });

  it('says Switchboard stopped a server that never answers, after its connect timeout', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'hang'], { connectTimeoutSec: 1 });
    const starting = t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'starting');
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect((await starting).server.status.timeoutSec).toBe(1);
    expect(view.status.state).toBe('error');
    expect(view.status.failure).toBe('timed-out');
    expect(view.status.reason).toMatch(/^Stopped by Switchboard after 1 s/);
    expect(t.core.servers.pids()).toEqual([]);
  });

  it('marks a server that exits before initialize', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'exit-at-start']);
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status).toMatchObject({ state: 'error', failure: 'exited-before-initialize' });
    expect(view.status.reason).toContain('exited with code 2 before it finished initializing');
  });

  it('explains a relative command instead of blaming PATH', async () => {
    t = track(startTestCore());
    const error = (await t
      .call('addServer', { config: { transport: 'stdio', name: 'rel', command: './dist/index.js' } })
      .catch((e: { details: Record<string, string> }) => e)) as { details: Record<string, string> };
    expect(error.details.command).toContain('"./dist/index.js" is a relative path');
    expect(error.details.command).toContain('Working directory');
    expect(error.details.command).not.toContain('not found on PATH');
    const json = (await t
      .call('addServer', { config: { transport: 'stdio', name: 'json', command: '{ "mcpServers": {} }' } })
      .catch((e: { details: Record<string, string> }) => e)) as { details: Record<string, string> };
    expect(json.details.command).toContain('This is a JSON config');
  });

  it('runs a server without a working directory in the home folder, and the approval shows it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sb-home-'));
    mkdirSync(join(home, 'srv'));
    // A relative argument resolves against the home folder, not the app's folder.
    writeFileSync(
      join(home, 'srv', 'where.mjs'),
      `import { pathToFileURL } from 'node:url'; await import(pathToFileURL(${JSON.stringify(FIXTURE_SERVER)}).href);`,
    );
    t = track(startTestCore({ env: { ...process.env, HOME: home } }));
    const server = await addAndApprove(['srv/where.mjs', 'ok']);
    expect(server.trust?.spec.cwd).toBeNull();
    expect(server.trust?.spec.workingDirectory).toBe(home);
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status.state).toBe('connected');
  });
});
