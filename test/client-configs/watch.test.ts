import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { FIXTURE_SERVER, startTestCore, type TestCore } from '../helpers/core';

// The watcher over the clients' config files, through the real core on a
// temporary home: edits made behind the user's back are reported as words,
// never with env or header values; ignoring one makes it the new baseline.

const track = useCleanup();

type Servers = Record<string, Record<string, unknown>>;
const write = (path: string, servers: Servers) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ mcpServers: servers }, null, 2));
};

const INITIAL: Servers = {
  notes: { command: 'npx', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'nt-first-value-000' } },
  remote: { url: 'https://mcp.example.com/mcp' },
};

function setup() {
  const home = track.tempDir('watch-home-');
  const dataDir = track.tempDir('watch-data-');
  const cursor = join(home, '.cursor', 'mcp.json');
  write(cursor, INITIAL);
  const start = async () => {
    const t = track(startTestCore({ dataDir, env: { HOME: home, PATH: process.env.PATH }, watchClientConfigs: { pollMs: 150, debounceMs: 30 } }));
    await t.core.start();
    await t.call('listClientConfigChanges', {}); // the first check is done
    return t;
  };
  return { home, cursor, start };
}

const changeOf = (t: TestCore, path: string) => t.waitForEvent('clientConfigChanged', (p) => p.path === path && p.changes.length > 0, 10_000);

describe('watching the clients config files', () => {
  it('a file seen for the first time is accepted silently; later edits are described (added, command, URL) without values', async () => {
    const { cursor, start } = setup();
    const t = await start();
    expect((await t.call('listClientConfigChanges', {})).changes).toEqual([]);
    write(cursor, {
      notes: { command: 'node', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'nt-second-value-111', EXTRA_KEY: 'ek-value-222' } },
      remote: { url: 'https://other.example.net/mcp' },
      fresh: { command: 'uvx', args: ['fresh-server'] },
    });
    const event = await changeOf(t, cursor);
    expect(event.client).toBe('cursor');
    expect(event.changes.map((c) => c.text)).toEqual([
      'server notes: its command changed from “npx” to “node”; environment variables EXTRA_KEY added',
      'server remote: its URL changed from “https://mcp.example.com/mcp” to “https://other.example.net/mcp”',
      'gained server fresh (runs “uvx fresh-server”)',
    ]);
    const wire = JSON.stringify(t.events);
    for (const value of ['nt-first-value-000', 'nt-second-value-111', 'ek-value-222']) expect(wire).not.toContain(value);
    const pending = await t.call('listClientConfigChanges', {});
    expect(pending.changes).toEqual([event]);

    // Ignore: the current file becomes the baseline.
    expect((await t.call('acknowledgeClientConfigChange', { path: cursor })).changes).toEqual([]);
    // A removal afterwards is one change against the new baseline.
    write(cursor, {
      notes: { command: 'node', args: ['-y', 'notes-server'], env: { NOTES_TOKEN: 'x', EXTRA_KEY: 'y' } },
      remote: { url: 'https://other.example.net/mcp' },
    });
    const removed = await t.waitForEvent('clientConfigChanged', (p) => p.changes.some((c) => c.kind === 'removed'));
    expect(removed.changes.map((c) => c.text)).toEqual(['lost server fresh']);
  });

  it('a change made while Switchboard was closed is reported at the next start', async () => {
    const { cursor, start } = setup();
    await (await start()).close();
    write(cursor, { ...INITIAL, notes: { command: 'npx', args: ['-y', 'notes-server@2'], env: { NOTES_TOKEN: 'nt-first-value-000' } } });
    const t = await start();
    const { changes } = await t.call('listClientConfigChanges', {});
    expect(changes).toEqual([
      {
        path: cursor,
        client: 'cursor',
        changes: [{ kind: 'changed', server: 'notes', text: 'server notes: its arguments changed from “-y notes-server” to “-y notes-server@2”' }],
      },
    ]);
  });

  it('a file replaced atomically (written aside, renamed over) is still noticed', async () => {
    const { cursor, start } = setup();
    const t = await start();
    const aside = `${cursor}.tmp`;
    writeFileSync(aside, JSON.stringify({ mcpServers: { ...INITIAL, swapped: { url: 'https://swap.example.org/mcp' } } }));
    renameSync(aside, cursor);
    const event = await changeOf(t, cursor);
    expect(event.changes.map((c) => c.text)).toEqual(['gained server swapped (at “https://swap.example.org/mcp”)']);
  });

  it('a half-written file is not reported as every server lost', async () => {
    const { cursor, start } = setup();
    const t = await start();
    writeFileSync(cursor, '{ "mcpServers": { "notes": ');
    await new Promise((r) => setTimeout(r, 600));
    expect((await t.call('listClientConfigChanges', {})).changes).toEqual([]);
    write(cursor, { ...INITIAL, later: { command: 'later' } });
    expect((await changeOf(t, cursor)).changes.map((c) => c.kind)).toEqual(['added']);
  });

  it('Switchboard’s own export into the file is not reported; a change someone else made before it still is', async () => {
    const { cursor, start } = setup();
    const t = await start();
    write(cursor, { ...INITIAL, planted: { command: 'planted-cmd' } });
    await changeOf(t, cursor);
    const added = await t.call('addServer', { config: { transport: 'stdio', name: 'fixture', command: process.execPath, args: [FIXTURE_SERVER], env: [] } });
    const preview = await t.call('previewClientExport', { path: cursor, serverIds: [added.server.id] });
    await t.call('writeClientExport', { path: cursor, serverIds: [added.server.id], expectedHash: preview.expectedHash });
    await new Promise((r) => setTimeout(r, 500));
    const { changes } = await t.call('listClientConfigChanges', {});
    expect(changes.map((c) => c.changes.map((x) => x.text))).toEqual([['gained server planted (runs “planted-cmd”)']]);
  });

  it('is off when the core is built without it', async () => {
    const { cursor, home } = setup();
    const t = track(startTestCore({ env: { HOME: home, PATH: process.env.PATH }, watchClientConfigs: false }));
    await t.core.start();
    write(cursor, { fresh: { command: 'x' } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.call('listClientConfigChanges', {})).changes).toEqual([]);
    expect(t.events.filter((e) => e.name === 'clientConfigChanged')).toEqual([]);
  });
});
