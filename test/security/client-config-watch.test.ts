import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';

// The watcher reports what changed in another client's config file. The file
// holds secrets (env values, header values, keys passed as arguments): a change
// must be described without carrying them to the renderer or into Switchboard's
// own settings file, where the baseline is kept.

const track = useCleanup();

const write = (path: string, servers: Record<string, unknown>) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ mcpServers: servers }, null, 2));
};

describe('client config watcher: secret values stay out', () => {
  it('a changed env value, header value or --api-key argument is not sent in the change event nor kept in the baseline', async () => {
    const home = track.tempDir('watch-sec-');
    const dataDir = track.tempDir('watch-sec-data-');
    const cursor = join(home, '.cursor', 'mcp.json');
    write(cursor, {
      local: { command: 'npx', args: ['tool', '--api-key', 'ak-old-secret-0001'], env: { SERVICE_TOKEN: 'st-old-secret-0001' } },
      remote: { url: 'https://mcp.example.com/mcp?api_key=qk-old-secret-0001', headers: { Authorization: 'Bearer hv-old-secret-0001' } },
    });
    const t = track(startTestCore({ dataDir, env: { HOME: home, PATH: process.env.PATH }, watchClientConfigs: { pollMs: 150, debounceMs: 30 } }));
    await t.core.start();
    await t.call('listClientConfigChanges', {});
    write(cursor, {
      local: {
        command: 'npx',
        args: ['tool', '--api-key', 'ak-new-secret-0002'],
        env: { SERVICE_TOKEN: 'st-new-secret-0002', NEW_SECRET: 'ns-new-secret-0002' },
      },
      remote: {
        url: 'https://mcp.example.com/mcp?api_key=qk-new-secret-0002',
        headers: { Authorization: 'Bearer hv-new-secret-0002', 'X-Api-Key': 'xk-new-secret-0002' },
      },
    });
    const event = await t.waitForEvent('clientConfigChanged', (p) => p.changes.length > 0, 10_000);
    // Names are reported; the values are not.
    expect(event.changes.map((c) => c.text).join('\n')).toContain('environment variables NEW_SECRET added');
    expect(event.changes.map((c) => c.text).join('\n')).toContain('headers X-Api-Key added');
    const wire = JSON.stringify([t.events, await t.call('listClientConfigChanges', {})]);
    const settings = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    expect(settings).toContain('clientConfigs.baselines');
    for (const generation of ['old', 'new'])
      for (const prefix of ['ak', 'st', 'qk', 'hv', 'ns', 'xk']) {
        const value = `${prefix}-${generation}-secret-000${generation === 'old' ? 1 : 2}`;
        expect(wire, value).not.toContain(value);
        expect(settings, value).not.toContain(value);
      }
  });

  it('a change of an env value alone is not an alert that would need the value to explain it', async () => {
    const home = track.tempDir('watch-sec-');
    const cursor = join(home, '.cursor', 'mcp.json');
    write(cursor, { local: { command: 'npx', args: ['tool'], env: { SERVICE_TOKEN: 'st-old-secret-0001' } } });
    const t = track(startTestCore({ env: { HOME: home, PATH: process.env.PATH }, watchClientConfigs: { pollMs: 100, debounceMs: 20 } }));
    await t.core.start();
    await t.call('listClientConfigChanges', {});
    write(cursor, { local: { command: 'npx', args: ['tool'], env: { SERVICE_TOKEN: 'st-new-secret-0002' } } });
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.call('listClientConfigChanges', {})).changes).toEqual([]);
    expect(JSON.stringify(t.events)).not.toContain('secret-000');
  });

  it('a planted file with hundreds of servers and huge arguments does not bloat the settings file, and its changes are still noticed', async () => {
    const home = track.tempDir('watch-sec-');
    const dataDir = track.tempDir('watch-sec-data-');
    const cursor = join(home, '.cursor', 'mcp.json');
    const huge = (tag: string) =>
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`s${i}`, { command: `cmd-${tag}`, args: Array.from({ length: 8 }, () => 'a'.repeat(2000)) }]));
    write(cursor, huge('one'));
    const t = track(startTestCore({ dataDir, env: { HOME: home, PATH: process.env.PATH }, watchClientConfigs: { pollMs: 150, debounceMs: 30 } }));
    await t.core.start();
    await t.call('listClientConfigChanges', {});
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8').length).toBeLessThan(300 * 1024);
    write(cursor, { ...huge('one'), s7: { command: 'cmd-two', args: [] } });
    const event = await t.waitForEvent('clientConfigChanged', (p) => p.changes.length > 0, 10_000);
    expect(event.changes).toEqual([{ kind: 'changed', server: 's7', text: 'server s7: its entry changed' }]);
  });
});
