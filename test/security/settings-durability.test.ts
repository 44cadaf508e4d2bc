import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { bundleForChild } from '../helpers/child-bundle';
import { useCleanup } from '../helpers/cleanup';
import { FIXTURE_SERVER, startTestCore, waitFor, type TestCore } from '../helpers/core';

// Settings must survive a crash mid-write whatever the environment says, must
// not leave temp copies piling up, and must be readable by this user only.

const track = useCleanup();
const tempDir = () => track.tempDir('switchboard-durability-');

describe('settings durability', () => {
  let writer: string;
  beforeAll(async () => {
    writer = await bundleForChild(join(import.meta.dirname, '../fixtures/children/settings-writer.ts'));
    return () => rmSync(join(writer, '..'), { recursive: true, force: true });
  });

  it('a crash mid-write with SNAP set (launched from a snap terminal) cannot leave an unparseable settings file', async () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    const broken: string[] = [];
    for (let round = 0; round < 50; round++) {
      const child = spawn(process.execPath, [writer, dir, String(512 * 1024)], {
        env: { ...process.env, SNAP: '/snap/fake/1' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      try {
        JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        broken.push(`round ${round}: ${(error as Error).message.slice(0, 80)}`);
        writeFileSync(file, '{}'); // start the next round from a good file
      }
    }
    expect(broken).toEqual([]);
  }, 120_000);

  it('temp copies left by writes killed before their rename are removed at startup', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{}');
    const stale = ['settings.json.tmp-1764620000abc123', 'settings.json.tmp-17646200010fedcb'];
    const young = 'settings.json.tmp-1764620002aaaaaa';
    const unrelated = ['settings.json.tmp-notours', 'other.json.tmp-1764620000abc123', 'settings.json.bak'];
    const old = new Date(Date.now() - 3600_000);
    for (const name of [...stale, young, ...unrelated]) writeFileSync(join(dir, name), '{"half":');
    for (const name of [...stale, ...unrelated]) utimesSync(join(dir, name), old, old);
    const store = createConfStore(dir);
    expect(store.get('anything')).toBeUndefined();
    const left = readdirSync(dir);
    for (const name of stale) expect(left).not.toContain(name);
    // A young one may belong to another writer mid-write; other names are not ours to remove.
    expect(left).toEqual(expect.arrayContaining([young, ...unrelated]));
  });

  it('settings, vault key, history and snapshot files are readable by this user only (0600, directories 0700)', async () => {
    if (process.platform === 'win32') return;
    const dataDir = join(tempDir(), 'data');
    // A data dir and history left by an older version with loose modes are tightened too.
    mkdirSync(join(dataDir, 'history'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, 'history', 'history-000001.jsonl'), '', { mode: 0o644 });
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    const t: TestCore = startTestCore({ dataDir });
    try {
      const { server } = await t.call('addServer', {
        config: {
          transport: 'stdio',
          name: 'modes',
          command: process.execPath,
          args: [FIXTURE_SERVER, 'ok'],
          env: [{ name: 'TOKEN', value: 'hunter2', secret: true }],
        },
      });
      await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
      await t.call('connectServer', { serverId: server.id });
      await t.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'hi' }, callId: 'call-modes-1' });
      await waitFor(
        () => readdirSync(join(dataDir, 'history')).some((n) => n.endsWith('.jsonl') && statSync(join(dataDir, 'history', n)).size > 0),
        10_000,
        'history written',
      );
    } finally {
      await t.close();
    }
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(dataDir)).toBe('700');
    expect(mode(join(dataDir, 'history'))).toBe('700');
    const files = ['settings.json', 'vault.key', ...readdirSync(join(dataDir, 'history')).map((n) => join('history', n))];
    if (existsSync(join(dataDir, 'tool-snapshots'))) {
      expect(mode(join(dataDir, 'tool-snapshots'))).toBe('700');
      files.push(...readdirSync(join(dataDir, 'tool-snapshots')).map((n) => join('tool-snapshots', n)));
    }
    for (const name of readdirSync(dataDir)) if (statSync(join(dataDir, name)).isFile()) files.push(name);
    expect(Object.fromEntries([...new Set(files)].map((f) => [f, mode(join(dataDir, f))]))).toEqual(
      Object.fromEntries([...new Set(files)].map((f) => [f, '600'])),
    );
  }, 30_000);
});
