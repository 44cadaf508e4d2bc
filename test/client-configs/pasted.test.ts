import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeJsonConfig, parsePasted } from '../../electron/core/client-configs/pasted';
import { FIXTURE_SERVER, startTestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

// A config pasted into Add server goes through the client-configs readers and
// the same conversion as an imported file; nothing in it is evaluated.

const track = useCleanup();
const core = () => track(startTestCore({ env: { HOME: mkdtempSync(join(tmpdir(), 'sb-paste-')), PATH: process.env.PATH, GH_TOKEN: 'ghp_from_env' } }));

describe('pasted configs', () => {
  it('tells JSON from a command line', () => {
    expect(looksLikeJsonConfig('{ "mcpServers": {} }')).toBe(true);
    expect(looksLikeJsonConfig('  "memory": { "command": "npx" }')).toBe(true);
    expect(looksLikeJsonConfig('npx -y @modelcontextprotocol/server-memory')).toBe(false);
    expect(looksLikeJsonConfig('"C:\\Program Files\\node.exe" server.js')).toBe(false);
  });

  it('recognises the Claude Desktop / Cursor, VS Code and single-server shapes', () => {
    const claude = parsePasted(JSON.stringify({ mcpServers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } }));
    expect(claude.shape).toBe('mcpServers');
    expect(claude.result.servers.map((s) => s.name)).toEqual(['memory']);
    const code = parsePasted('{ // VS Code allows comments\n "servers": { "git": { "type": "stdio", "command": "uvx", "args": ["mcp-server-git"] } } }');
    expect(code.shape).toBe('vscode');
    expect(code.result.servers.map((s) => s.name)).toEqual(['git']);
    const single = parsePasted(JSON.stringify({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory@1.2.0'] }));
    expect(single.shape).toBe('single');
    expect(single.result.servers.map((s) => s.name)).toEqual(['memory']);
    const entry = parsePasted('"remote": { "url": "https://example.com/mcp" }');
    expect(entry.result.servers.map((s) => s.name)).toEqual(['remote']);
    const nothing = parsePasted('{ "hello": 1 }');
    expect(nothing.shape).toBe('unknown');
    expect(nothing.result.problems[0]?.reason).toMatch(/no servers/);
    expect(parsePasted('{ "mcpServers": ').result.problems[0]?.severity).toBe('error');
  });

  it('previews what each pasted server becomes, keeping secret values in the core', async () => {
    const t = core();
    const text = JSON.stringify({
      mcpServers: {
        fixture: { command: process.execPath, args: [FIXTURE_SERVER, 'ok'] },
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_pastedsecretvalue123456' } },
      },
    });
    const preview = await t.call('previewPastedConfig', { text });
    expect(preview.shape).toBe('mcpServers');
    expect(preview.candidates.map((c) => c.name)).toEqual(['fixture', 'github']);
    expect(preview.candidates[0]!.becomes).toMatchObject({ transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, 'ok'] });
    expect(JSON.stringify(preview)).not.toContain('ghp_pastedsecretvalue123456');

    const { results } = await t.call('importPastedConfig', { text, selections: [{ name: 'fixture' }] });
    expect(results[0]?.server?.name).toBe('fixture');
    // Imported, not trusted: the launch still needs approval.
    expect(results[0]?.server?.trust?.approved).toBe(false);
    await expect(t.call('connectServer', { serverId: results[0]!.server!.id })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
  });
});
