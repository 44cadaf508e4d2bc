import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { FIXTURE_SERVER, startTestCore, waitFor } from '../helpers/core';

// Attack family: a program that can write Switchboard's settings file tries to
// get its own command run at the next start without the user approving it.

const track = useCleanup();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-approval-'));
  track({ close: async () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

/** The wave-1 approval: an unkeyed SHA-256 of the spec, which anyone can recompute. */
function wave1Hash(server: { command: string; args: string[]; cwd?: string; env: { name: string; secret: boolean; value?: string }[] }): string {
  const canonical = JSON.stringify({
    v: 1,
    command: server.command,
    args: server.args,
    cwd: server.cwd ?? null,
    env: [...server.env].sort((a, b) => a.name.localeCompare(b.name)).map((e) => (e.secret ? [e.name, 'secret'] : [e.name, e.value ?? ''])),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

interface Settings {
  servers: { id: string; name: string; command: string; args: string[]; cwd?: string; env: { name: string; secret: boolean; value?: string }[] }[];
  approvals?: Record<string, string>;
  vault?: Record<string, unknown>;
}
const readSettings = (dir: string) => JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as Settings;
const writeSettings = (dir: string, settings: Settings) => writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings));

/** Adds and approves two enabled fixture servers, each writing its own marker file when it runs, then closes the core. */
async function twoApprovedServers(dataDir: string) {
  const t = startTestCore({ dataDir });
  const ids: Record<string, string> = {};
  for (const name of ['honest', 'target']) {
    const { server } = await t.call('addServer', {
      config: {
        transport: 'stdio',
        name,
        command: process.execPath,
        args: [FIXTURE_SERVER, 'ok', `marker=${join(dataDir, `${name}.ran`)}`],
        env: [{ name: 'MODE', value: 'safe' }],
      },
    });
    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    ids[name] = server.id;
  }
  await t.close();
  return ids as { honest: string; target: string };
}

/** Starts the app on the data dir as it would at login, waits for the honest server to have run. */
async function startAndAutostart(dataDir: string) {
  const t = track(startTestCore({ dataDir }));
  await t.core.start();
  await waitFor(() => existsSync(join(dataDir, 'honest.ran')), 15_000, 'the honest server to autostart');
  return t;
}

describe('launch approvals against a hostile settings-file writer', () => {
  it('a program that rewrites the settings file cannot forge a launch approval (changed command + recomputed hash)', async () => {
    const dataDir = tempDir();
    const ids = await twoApprovedServers(dataDir);
    const evilMarker = join(dataDir, 'evil.ran');
    const settings = readSettings(dataDir);
    const target = settings.servers.find((s) => s.id === ids.target)!;
    target.args = [FIXTURE_SERVER, 'ok', `marker=${evilMarker}`];
    target.env = [
      { name: 'MODE', secret: false, value: 'evil' },
      { name: 'NODE_OPTIONS', secret: false, value: '--no-deprecation' },
    ];
    settings.approvals = { ...settings.approvals, [ids.target]: wave1Hash(target) }; // the "matching" hash, recomputed
    writeSettings(dataDir, settings);

    const t = await startAndAutostart(dataDir);
    await new Promise((r) => setTimeout(r, 500)); // the two start in parallel; give the target time it would have had
    expect(existsSync(evilMarker)).toBe(false);
    expect(t.core.servers.pids()).toHaveLength(1);
    await expect(t.call('connectServer', { serverId: ids.target })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });

    const { servers } = await t.call('listServers', {});
    const trust = servers.find((s) => s.id === ids.target)!.trust!;
    expect(trust).toMatchObject({ approved: false, changedSinceApproval: true });
    // Exactly what changed, from the approval kept in the vault, with values.
    expect(trust.changes).toEqual(
      expect.arrayContaining([
        { field: 'args', index: 2, before: `marker=${join(dataDir, 'target.ran')}`, after: `marker=${evilMarker}` },
        { field: 'env', name: 'MODE', before: 'safe', after: 'evil' },
        { field: 'env', name: 'NODE_OPTIONS', before: null, after: '--no-deprecation' },
      ]),
    );
    expect(trust.changes).toHaveLength(3);
    expect(trust.spec.env).toEqual([
      { name: 'MODE', value: 'evil' },
      { name: 'NODE_OPTIONS', value: '--no-deprecation' },
    ]);
  });

  it("a program that copies another server's vault-held approval onto a changed server does not get it run", async () => {
    const dataDir = tempDir();
    const ids = await twoApprovedServers(dataDir);
    const evilMarker = join(dataDir, 'evil.ran');
    const settings = readSettings(dataDir);
    const target = settings.servers.find((s) => s.id === ids.target)!;
    target.args = [FIXTURE_SERVER, 'ok', `marker=${evilMarker}`];
    // The honest server's approval record, pasted in as the target's.
    settings.vault![`server:${ids.target}:launch-approval`] = settings.vault![`server:${ids.honest}:launch-approval`];
    writeSettings(dataDir, settings);

    const t = await startAndAutostart(dataDir);
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(evilMarker)).toBe(false);
    const { servers } = await t.call('listServers', {});
    expect(servers.find((s) => s.id === ids.target)!.trust).toMatchObject({ approved: false, note: expect.stringContaining('could not be verified') });
  });

  it('an approval in the old format (a plain hash in settings) is not honoured, and the trust view says why', async () => {
    const dataDir = tempDir();
    const ids = await twoApprovedServers(dataDir);
    const settings = readSettings(dataDir);
    // Wave 1 stored only this; the vault record did not exist.
    delete settings.vault![`server:${ids.target}:launch-approval`];
    settings.approvals = { [ids.target]: wave1Hash(settings.servers.find((s) => s.id === ids.target)!) };
    writeSettings(dataDir, settings);

    const t = await startAndAutostart(dataDir);
    await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(join(dataDir, 'target.ran'))).toBe(false);
    const { servers } = await t.call('listServers', {});
    expect(servers.find((s) => s.id === ids.honest)!.trust?.approved).toBe(true);
    const target = servers.find((s) => s.id === ids.target)!;
    expect(target.trust).toMatchObject({ approved: false, changedSinceApproval: false, note: expect.stringContaining('earlier version') });
    // Approving once more moves it into the vault and drops the old entry.
    await t.call('approveLaunch', { serverId: ids.target, specHash: target.trust!.specHash });
    expect(readSettings(dataDir).approvals).toEqual({});
  });
});
