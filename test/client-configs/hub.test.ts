import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claudeDesktop, cursor, vscode } from '../../electron/core/client-configs';
import { useCleanup } from '../helpers/cleanup';
import { FIXTURE_SERVER, startTestCore } from '../helpers/core';
import type { ServerView } from '../../shared/contract';
import { fillHome } from './home';

// The desktop hub through the real core: scan a temporary home, import into
// Switchboard (servers feature, vault), export back into other clients' files.

const track = useCleanup();

function hub() {
  const home = track.tempDir('hub-home-');
  const files = fillHome(home);
  const t = track(startTestCore({ env: { HOME: home, PATH: process.env.PATH } }));
  return { home, files, t };
}

describe('client configs hub', () => {
  it('scans every client in the home, with what each server becomes and no secret value', async () => {
    const { home, files, t } = hub();
    const scan = await t.call('scanClientConfigs', {});
    expect(scan.home).toBe(home);
    expect(scan.files.map((f) => f.client).sort()).toEqual(['claude-code', 'claude-desktop', 'cursor', 'vscode', 'windsurf']);
    const desktop = scan.files.find((f) => f.path === files['claude-desktop'])!;
    const github = desktop.candidates.find((c) => c.name === 'github')!;
    expect(github.becomes).toMatchObject({
      transport: 'stdio',
      command: 'docker',
      env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', secret: true, needsValue: false }],
    });
    const code = scan.files.find((f) => f.client === 'claude-code')!;
    expect(code.candidates.find((c) => c.name === 'sentry')!.becomes).toMatchObject({ headers: [{ name: 'Authorization', needsValue: true }] });
    const vs = scan.files.find((f) => f.client === 'vscode')!;
    expect(vs.inputs.map((i) => [i.id, i.password])).toEqual([
      ['github-token', true],
      ['perplexity-key', true],
    ]);
    expect(vs.candidates.find((c) => c.name === 'github')!.needsInputs).toEqual(['github-token']);
    expect(scan.targets.some((x) => x.client === 'cursor' && x.exists)).toBe(true);
    const wire = JSON.stringify(scan);
    for (const secret of [
      'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB',
      'c7_Zx81KqLm02PvRt55YwUa9n',
      'figd_Ab12Cd34Ef56Gh78Ij90Kl12Mn34',
      'BSA7xk2LmQ9pR4tW8zY1vN3',
    ])
      expect(wire).not.toContain(secret);
  });

  it('imports the chosen servers: secrets into the vault, input answers applied, stdio still needs approval, duplicates flagged after', async () => {
    const { files, t } = hub();
    const { results } = await t.call('importServers', {
      selections: [
        { path: files['claude-desktop'], name: 'github' },
        { path: files.vscode, name: 'github', rename: 'github-remote', inputs: { 'github-token': 'tok-from-input' } },
        { path: files['claude-code'], name: 'sentry', values: { 'headers:Authorization': 'Bearer typed' } },
        { path: files.windsurf, name: 'brave-search', secrets: { 'env:BRAVE_API_KEY': false } },
      ],
    });
    expect(results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    const [gh, ghRemote, sentry, brave] = results.map((r) => r.server!) as [ServerView, ServerView, ServerView, ServerView];
    expect(gh.config).toMatchObject({ transport: 'stdio', env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', secret: true, hasValue: true }] });
    expect(gh.trust?.approved).toBe(false);
    expect(ghRemote.config).toMatchObject({ transport: 'http', headers: [{ name: 'Authorization', secret: true, hasValue: true }] });
    expect(sentry.config).toMatchObject({ headers: [{ name: 'Authorization', secret: true, hasValue: true }] });
    expect(brave).toMatchObject({ enabled: false, config: { env: [{ name: 'BRAVE_API_KEY', secret: false, value: 'BSA7xk2LmQ9pR4tW8zY1vN3' }] } });
    expect(JSON.stringify(results)).not.toContain('tok-from-input');
    expect(JSON.stringify(results)).not.toContain('ghp_1234567890');
    // The values really are in the vault, for the server to use.
    expect(await t.core.servers.config.resolveValues(ghRemote.id, 'header', [{ name: 'Authorization', secret: true }])).toMatchObject({
      values: { Authorization: 'Bearer tok-from-input' },
    });
    const again = await t.call('scanClientConfigs', {});
    const dup = again.files.find((f) => f.path === files['claude-desktop'])!.candidates.find((c) => c.name === 'github')!;
    expect(dup.duplicateOf).toEqual({ id: gh.id, name: 'github' });
  });

  it('an unanswered input or missing typed value fails that server only, with a clear reason', async () => {
    const { files, t } = hub();
    const { results } = await t.call('importServers', {
      selections: [
        { path: files.vscode, name: 'github' },
        { path: files['claude-code'], name: 'sentry' },
        { path: files['claude-desktop'], name: 'filesystem' },
      ],
    });
    expect(results[0]!.error).toMatch(/github-token/);
    expect(results[1]!.error).toMatch(/Enter a value for Authorization/);
    expect(results[2]!.server?.name).toBe('filesystem');
  });

  it('exports a stdio server to Cursor: secret as ${env:…}, a backup, other keys kept', async () => {
    const { files, t } = hub();
    const added = await t.call('addServer', {
      config: {
        transport: 'stdio',
        name: 'fixture',
        command: process.execPath,
        args: [FIXTURE_SERVER],
        env: [{ name: 'FIXTURE_TOKEN', value: 'sk-fixture-0123456789abcdef', secret: true }],
      },
    });
    const id = added.server.id;
    const before = readFileSync(files.cursor, 'utf8');
    const preview = await t.call('previewClientExport', { path: files.cursor, serverIds: [id] });
    expect(preview.written).toEqual(['fixture']);
    expect(preview.indirections).toMatchObject([{ name: 'FIXTURE_TOKEN', placeholder: '${env:FIXTURE_TOKEN}' }]);
    expect(preview.diff.some((d) => d.op === '+' && d.text.includes('"fixture"'))).toBe(true);
    const out = await t.call('writeClientExport', { path: files.cursor, serverIds: [id], expectedHash: preview.expectedHash });
    expect(readFileSync(out.backup!, 'utf8')).toBe(before);
    const text = readFileSync(files.cursor, 'utf8');
    expect(text).not.toContain('sk-fixture');
    const parsed = cursor.parse(text);
    expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(parsed.servers.map((s) => s.name)).toEqual(['notes', 'context7', 'fixture']);
    expect(parsed.servers[2]).toMatchObject({
      command: process.execPath,
      args: [FIXTURE_SERVER],
      env: [{ name: 'FIXTURE_TOKEN', value: '${env:FIXTURE_TOKEN}' }],
    });
  });

  it('an imported stdio server does not start until its launch is approved', async () => {
    const { home, t } = hub();
    writeFileSync(`${home}/.cursor/mcp.json`, JSON.stringify({ mcpServers: { fixture: { command: process.execPath, args: [FIXTURE_SERVER] } } }));
    const { results } = await t.call('importServers', { selections: [{ path: `${home}/.cursor/mcp.json`, name: 'fixture' }] });
    const id = results[0]!.server!.id;
    await expect(t.call('connectServer', { serverId: id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    const approved = await t.call('approveLaunch', { serverId: id, specHash: results[0]!.server!.trust!.specHash });
    expect(approved.server.trust?.approved).toBe(true);
    expect((await t.call('connectServer', { serverId: id })).server.status.state).toBe('connected');
  });

  it('VS Code keeps its comments, and a secret becomes a password input', async () => {
    const { files, t } = hub();
    const added = await t.call('addServer', {
      config: {
        transport: 'http',
        name: 'remote',
        url: 'https://mcp.example.com/mcp',
        headers: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnop', secret: true }],
      },
    });
    const preview = await t.call('previewClientExport', { path: files.vscode, serverIds: [added.server.id] });
    await t.call('writeClientExport', { path: files.vscode, serverIds: [added.server.id], expectedHash: preview.expectedHash });
    const text = readFileSync(files.vscode, 'utf8');
    expect(text).toContain('// Playwright for browser automation');
    expect(text).not.toContain('abcdefghijklmnop');
    const parsed = vscode.parse(text);
    expect(parsed.servers.find((s) => s.name === 'remote')).toMatchObject({ type: 'http', url: 'https://mcp.example.com/mcp' });
    expect(parsed.inputs.find((i) => i.id === 'remote-authorization')).toMatchObject({ password: true });
  });

  it('Claude Desktop takes a secret only in plaintext, per confirmed value; the preview masks it', async () => {
    const { files, t } = hub();
    const added = await t.call('addServer', {
      config: { transport: 'stdio', name: 'tok', command: 'node', args: ['x.js'], env: [{ name: 'API_KEY', value: 'plain-secret-value-123', secret: true }] },
    });
    const id = added.server.id;
    const first = await t.call('previewClientExport', { path: files['claude-desktop'], serverIds: [id] });
    expect(first.written).toEqual([]);
    expect(first.needsPlaintext).toMatchObject([{ key: `${id}:env:API_KEY` }]);
    const confirmed = await t.call('previewClientExport', { path: files['claude-desktop'], serverIds: [id], plaintextConfirmed: [`${id}:env:API_KEY`] });
    expect(confirmed.written).toEqual(['tok']);
    expect(JSON.stringify(confirmed)).not.toContain('plain-secret-value-123');
    await t.call('writeClientExport', {
      path: files['claude-desktop'],
      serverIds: [id],
      plaintextConfirmed: [`${id}:env:API_KEY`],
      expectedHash: confirmed.expectedHash,
    });
    const parsed = claudeDesktop.parse(readFileSync(files['claude-desktop'], 'utf8'));
    expect(parsed.servers.find((s) => s.name === 'tok')!.env).toEqual([{ name: 'API_KEY', value: 'plain-secret-value-123' }]);
    expect(readFileSync(files['claude-desktop'], 'utf8')).toContain('"globalShortcut": "Ctrl+Space"');
  });

  it("Switchboard's own file refers to secrets by name and never holds their values", async () => {
    const { t } = hub();
    await t.call('addServer', {
      config: {
        transport: 'stdio',
        name: 'gh',
        command: 'docker',
        args: ['run'],
        env: [{ name: 'GITHUB_TOKEN', value: 'ghp_secretvalue0123456789', secret: true }],
      },
    });
    const { text } = await t.call('exportSwitchboardServers', {});
    expect(JSON.parse(text)).toMatchObject({ mcpServers: { gh: { command: 'docker', env: { GITHUB_TOKEN: '${GITHUB_TOKEN}' } } } });
    expect(text).not.toContain('ghp_secretvalue');
  });

  it('writing into a file that does not exist yet creates it (mode 0600)', async () => {
    const { home, t } = hub();
    const added = await t.call('addServer', { config: { transport: 'stdio', name: 'n', command: 'node', args: [] } });
    const scan = await t.call('scanClientConfigs', { projectFolders: [home + '/proj'] });
    const target = scan.targets.find((x) => x.client === 'cursor' && x.scope === 'project')!;
    expect(target.exists).toBe(false);
    const preview = await t.call('previewClientExport', { path: target.path, projectFolders: [home + '/proj'], serverIds: [added.server.id] });
    const out = await t.call('writeClientExport', {
      path: target.path,
      projectFolders: [home + '/proj'],
      serverIds: [added.server.id],
      expectedHash: preview.expectedHash,
    });
    expect(out.backup).toBeUndefined();
    expect(statSync(target.path).mode & 0o777).toBe(0o600);
  });
});
