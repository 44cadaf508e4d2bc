import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import { addApprovedNodeServer, EVERYTHING_SERVER, FIXTURE_SERVER, processAlive, startTestCore, waitFor, type TestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

const track = useCleanup();
let t: TestCore;

const addAndApprove = (args: string[], extra: Record<string, unknown> = {}): Promise<ServerView> => addApprovedNodeServer(t, args, extra);

describe('stdio servers with real child processes', () => {
  it('connects server-everything, lists its tools, and stops it', async () => {
    t = track(startTestCore());
    const added = await addAndApprove([EVERYTHING_SERVER, 'stdio']);
    const { server } = await t.call('connectServer', { serverId: added.id });
    expect(server.status.state).toBe('connected');
    expect(server.info?.name).toMatch(/everything/i);
    expect(server.info?.protocolVersion).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(server.info?.capabilities).toHaveProperty('tools');
    const { tools } = await t.call('listTools', { serverId: added.id });
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const pid = t.core.servers.pids()[0]!;
    expect(processAlive(pid)).toBe(true);
    const stopped = await t.call('disconnectServer', { serverId: added.id });
    expect(stopped.server.status.state).toBe('stopped');
    await waitFor(() => !processAlive(pid), 5000, 'server exit');
  });

  it('refuses to start before the launch spec is approved, and asks again after an edit', async () => {
    t = track(startTestCore());
    const { server } = await t.call('addServer', { config: { transport: 'stdio', name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER, 'ok'] } });
    expect(server.trust?.approved).toBe(false);
    expect(server.trust?.spec).toMatchObject({ command: process.execPath, args: [FIXTURE_SERVER, 'ok'], resolvedCommand: process.execPath });
    await expect(t.call('connectServer', { serverId: server.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    const edited = await t.call('updateServer', {
      serverId: server.id,
      config: { transport: 'stdio', name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER, 'ok', 'spam=1'] },
    });
    expect(edited.server.trust).toMatchObject({ approved: false, changedSinceApproval: true });
    await expect(t.call('connectServer', { serverId: server.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    // An approval for the spec shown before the edit does not carry over.
    await expect(t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('asks again when another process edits the settings file', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'ok']);
    const file = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    settings.servers[0].args.push('--evil');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(settings));
    const { servers } = await t.call('listServers', {});
    expect(servers[0]!.trust).toMatchObject({ approved: false, changedSinceApproval: true });
    await expect(t.call('connectServer', { serverId: server.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
  });

  it('validates configs with clear, field-level errors', async () => {
    t = track(startTestCore());
    const bad = (await t
      .call('addServer', { config: { transport: 'stdio', name: ' ', command: 'definitely-not-a-command-xyz', cwd: '/no/such/dir' } })
      .catch((e: { code: string; details: Record<string, string> }) => e)) as { code: string; details: Record<string, string> };
    expect(bad.code).toBe('VALIDATION');
    expect(bad.details).toMatchObject({
      name: expect.any(String),
      command: expect.stringContaining('not found'),
      cwd: expect.stringContaining('does not exist'),
    });
    await addAndApprove([FIXTURE_SERVER]);
    const name = (await t.call('listServers', {})).servers[0]!.name;
    const dup = (await t
      .call('addServer', { config: { transport: 'stdio', name, command: process.execPath } })
      .catch((e: { code: string; details: Record<string, string> }) => e)) as { code: string; details: Record<string, string> };
    expect(dup.details.name).toContain('already exists');
  });

  it('captures stderr into the log and streams it as events', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'spam=3000']);
    await t.call('connectServer', { serverId: server.id });
    // stderr is its own pipe: it may still be draining when initialize has already answered.
    const log = async () => (await t.call('getServerLog', { serverId: server.id })).lines;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await log()).some((l) => l.text.includes('spam line 2999'))) await new Promise((r) => setTimeout(r, 50));
    const lines = await log();
    expect(lines.length).toBeLessThanOrEqual(2000); // bounded ring buffer
    expect(lines.some((l) => l.stream === 'stderr' && l.text.includes('spam line 2999'))).toBe(true);
    await t.waitForEvent('serverLog', (p) => p.serverId === server.id && p.lines.some((l) => l.text.includes('initialized')));
    const view = (await t.call('listServers', {})).servers[0]!;
    expect(view.status.state).toBe('connected'); // stderr is not an error
  });

  it('reports a non-JSON stdout line as a protocol error quoting the line', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'garbage']);
    await t.call('connectServer', { serverId: server.id });
    await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && Boolean(p.server.status.protocolError));
    const view = (await t.call('listServers', {})).servers[0]!;
    expect(view.status.protocolError).toContain('this is not json-rpc');
    const { lines } = await t.call('getServerLog', { serverId: server.id });
    expect(lines.some((l) => l.stream === 'protocol' && l.text.includes('this is not json-rpc'))).toBe(true);
  });

  it('times out a server that never answers initialize and leaves no process', async () => {
    t = track(startTestCore({ defaultConnectTimeoutMs: 1500 }));
    const server = await addAndApprove([FIXTURE_SERVER, 'hang']);
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status.state).toBe('error');
    expect(view.status.reason).toMatch(/^Stopped by Switchboard after (1|2) s: the server did not finish initializing/);
    expect(t.core.servers.pids()).toEqual([]);
  });

  it('shows the exit code and stderr of a server that dies at start', async () => {
    t = track(startTestCore());
    const server = await addAndApprove([FIXTURE_SERVER, 'exit-at-start']);
    const { server: view } = await t.call('connectServer', { serverId: server.id });
    expect(view.status.state).toBe('error');
    expect(view.status.reason).toContain('exited with code 2');
    expect(view.status.lastStderr?.join('\n')).toContain('missing configuration FIXTURE_TOKEN');
  });

  it('restarts a crashing server with backoff and gives up at the cap', async () => {
    t = track(startTestCore());
    // Faster policy for the test; the app uses 1 s doubling to 30 s, 5 restarts.
    (t.core.servers.runtime as unknown as { deps: { restartPolicy: unknown } }).deps.restartPolicy = {
      maxRestarts: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      stableAfterMs: 60_000,
    };
    const server = await addAndApprove([FIXTURE_SERVER, 'crash-after=200']);
    await t.call('connectServer', { serverId: server.id });
    const crashed = await t.waitForEvent(
      'serverChanged',
      (p) => p.server.id === server.id && p.server.status.state === 'crashed' && p.server.status.restart?.attempt === 1,
    );
    expect(crashed.server.status.exitCode).toBe(3);
    expect(crashed.server.status.lastStderr?.join('\n')).toContain('about to crash');
    await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected' && p.server.status.restart?.attempt === 1);
    const gaveUp = await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && Boolean(p.server.status.restart?.gaveUp));
    expect(gaveUp.server.status.state).toBe('crashed');
    expect(gaveUp.server.status.reason).toContain('Gave up after 2 restarts');
  });

  it('kills a server that ignores SIGTERM, and its grandchildren', async () => {
    t = track(startTestCore());
    const pidFile = join(t.dataDir, 'grandchild.pid');
    const server = await addAndApprove([FIXTURE_SERVER, 'ignore-sigterm', `grandchild=${pidFile}`]);
    await t.call('connectServer', { serverId: server.id });
    const pid = t.core.servers.pids()[0]!;
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(grandchild)).toBe(true);
    await t.call('disconnectServer', { serverId: server.id });
    expect(processAlive(pid)).toBe(false);
    await waitFor(() => !processAlive(grandchild), 5000, 'grandchild exit');
  });

  it('leaves nothing running after shutdown', async () => {
    t = track(startTestCore());
    const pidFile = join(t.dataDir, 'gc.pid');
    const a = await addAndApprove([FIXTURE_SERVER, `grandchild=${pidFile}`]);
    const b = await addAndApprove([EVERYTHING_SERVER, 'stdio']);
    await Promise.all([t.call('connectServer', { serverId: a.id }), t.call('connectServer', { serverId: b.id })]);
    const pids = [...t.core.servers.pids(), Number(readFileSync(pidFile, 'utf8'))];
    expect(pids.every(processAlive)).toBe(true);
    await t.core.shutdown();
    await waitFor(() => pids.every((p) => !processAlive(p)), 5000, 'all processes to exit');
  });

  it('keeps secret env values out of settings and injects them only at spawn', async () => {
    t = track(startTestCore());
    const { server } = await t.call('addServer', {
      config: {
        transport: 'stdio',
        name: 'env',
        command: process.execPath,
        args: [
          '-e',
          'const v = process.env.API_TOKEN; process.stderr.write("sha256=" + require("crypto").createHash("sha256").update(v).digest("hex") + "\\ntoken=" + v + "\\n"); setTimeout(()=>{}, 100000)',
        ],
        env: [
          { name: 'API_TOKEN', value: 's3cr3t-value-123', secret: true },
          { name: 'PLAIN', value: 'visible', secret: false },
        ],
      },
    });
    expect(JSON.stringify(server)).not.toContain('s3cr3t-value-123');
    expect(server.config.transport === 'stdio' && server.config.env).toEqual([
      { name: 'API_TOKEN', secret: true, hasValue: true },
      { name: 'PLAIN', secret: false, value: 'visible', hasValue: true },
    ]);
    expect(readFileSync(join(t.dataDir, 'settings.json'), 'utf8')).not.toContain('s3cr3t-value-123');
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    (t.core.servers.runtime as unknown as { deps: { defaultConnectTimeoutMs: number } }).deps.defaultConnectTimeoutMs = 800;
    await t.call('connectServer', { serverId: server.id });
    const { lines } = await t.call('getServerLog', { serverId: server.id });
    // Injected (the child saw the right value), and scrubbed from the log when the child printed it.
    expect(lines.some((l) => l.text === `sha256=${createHash('sha256').update('s3cr3t-value-123').digest('hex')}`)).toBe(true);
    expect(lines.some((l) => l.text === 'token=[redacted]')).toBe(true);
  });
});
