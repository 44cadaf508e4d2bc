import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';
import { fillHome } from '../client-configs/home';

// The hub's IPC reads and writes files outside Switchboard's own folder. A
// compromised or confused renderer must not turn it into a general file reader
// or writer, nor into a way to get secret values out of the core.

const track = useCleanup();

function hub() {
  const home = track.tempDir('hub-sec-');
  const files = fillHome(home);
  const t = track(startTestCore({ env: { HOME: home, PATH: process.env.PATH } }));
  return { home, files, t };
}

describe('client config hub: paths and secrets over IPC', () => {
  it('a renderer cannot import from a file that is not a known client config', async () => {
    const { home, t } = hub();
    const planted = join(home, 'planted.json');
    writeFileSync(planted, JSON.stringify({ mcpServers: { evil: { command: 'sh', args: ['-c', 'id'] } } }));
    const { results } = await t.call('importServers', { selections: [{ path: planted, name: 'evil' }] });
    expect(results[0]!.error).toMatch(/not one of the client config files/);
    expect((await t.call('listServers', {})).servers).toEqual([]);
  });

  it('a renderer cannot write to an arbitrary path through the export', async () => {
    const { home, t } = hub();
    const added = await t.call('addServer', { config: { transport: 'stdio', name: 'n', command: 'node', args: [] } });
    const target = join(home, '.bashrc');
    await expect(t.call('previewClientExport', { path: target, serverIds: [added.server.id] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(t.call('writeClientExport', { path: target, serverIds: [added.server.id], expectedHash: 'missing' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(existsSync(target)).toBe(false);
  });

  it('a write whose preview is stale (the file changed since) is refused and the file is left as it is', async () => {
    const { files, t } = hub();
    const added = await t.call('addServer', { config: { transport: 'stdio', name: 'n', command: 'node', args: [] } });
    const preview = await t.call('previewClientExport', { path: files.cursor, serverIds: [added.server.id] });
    writeFileSync(files.cursor, '{"mcpServers": {"changed": {"command": "x"}}}');
    await expect(t.call('writeClientExport', { path: files.cursor, serverIds: [added.server.id], expectedHash: preview.expectedHash })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(readFileSync(files.cursor, 'utf8')).toBe('{"mcpServers": {"changed": {"command": "x"}}}');
  });

  it('the export preview does not show secrets already in the file (another server’s token) nor the vault value being written', async () => {
    const { files, t } = hub();
    // The figma token sits next to where the new entry goes in Windsurf's file.
    const added = await t.call('addServer', {
      config: { transport: 'stdio', name: 'w', command: 'node', args: [], env: [{ name: 'API_KEY', value: 'vault-only-value-42', secret: true }] },
    });
    const key = `${added.server.id}:env:API_KEY`;
    const preview = await t.call('previewClientExport', { path: files.windsurf, serverIds: [added.server.id], plaintextConfirmed: [key] });
    const wire = JSON.stringify(preview);
    expect(wire).not.toContain('vault-only-value-42');
    expect(wire).not.toContain('BSA7xk2LmQ9pR4tW8zY1vN3');
    expect(preview.diff.length).toBeGreaterThan(0);
  });

  it('an unconfirmed secret is never read out of the vault into a client file', async () => {
    const { files, t } = hub();
    const added = await t.call('addServer', {
      config: { transport: 'stdio', name: 'w', command: 'node', args: [], env: [{ name: 'API_KEY', value: 'vault-only-value-42', secret: true }] },
    });
    const preview = await t.call('previewClientExport', { path: files.windsurf, serverIds: [added.server.id] });
    expect(preview.refused.map((r) => r.name)).toEqual(['w']);
    await expect(t.call('writeClientExport', { path: files.windsurf, serverIds: [added.server.id], expectedHash: preview.expectedHash })).rejects.toMatchObject(
      { code: 'VALIDATION' },
    );
    expect(readFileSync(files.windsurf, 'utf8')).not.toContain('vault-only-value-42');
  });
});
