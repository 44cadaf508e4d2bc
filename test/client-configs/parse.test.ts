import { describe, expect, it } from 'vitest';
import { claudeCode, claudeDesktop, cursor, mcpServersFile, vscode, windsurf } from '../../electron/core/client-configs';
import { fixture } from './fixtures';

const byName = <T extends { name: string }>(list: T[], name: string): T => {
  const found = list.find((s) => s.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('reading client config files', () => {
  it('Claude Desktop: stdio entries with argv and env, app keys ignored', () => {
    const { servers, problems } = claudeDesktop.parse(fixture('claude-desktop/claude_desktop_config.json'));
    expect(problems).toEqual([]);
    expect(servers.map((s) => s.name)).toEqual(['filesystem', 'github']);
    expect(byName(servers, 'github')).toMatchObject({
      type: 'stdio',
      command: 'docker',
      syntax: 'none',
      line: 7,
      env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN' }],
    });
    expect(byName(servers, 'filesystem').args).toEqual(['-y', '@modelcontextprotocol/server-filesystem', '/Users/ada/Desktop', '/Users/ada/Downloads']);
  });

  it('Claude Code: user scope, each project’s local scope, and a project’s .mcp.json', () => {
    const { servers, problems } = claudeCode.parse(fixture('claude-code/claude.json'));
    expect(problems).toEqual([]);
    expect(servers.map((s) => [s.name, s.scope, s.project])).toEqual([
      ['sentry', 'user', undefined],
      ['memory', 'user', undefined],
      ['postgres', 'local', '/home/ada/src/shop'],
    ]);
    expect(byName(servers, 'sentry')).toMatchObject({
      type: 'http',
      url: 'https://mcp.sentry.dev/mcp',
      headers: [{ name: 'Authorization', value: 'Bearer ${SENTRY_TOKEN}' }],
    });
    const project = claudeCode.parse(fixture('claude-code/mcp.json'), { file: 'project' });
    expect(project.servers).toMatchObject([{ name: 'linear', scope: 'project', type: 'sse' }]);
  });

  it('Cursor: command or url entries, type optional', () => {
    const { servers, problems } = cursor.parse(fixture('cursor/mcp.json'));
    expect(problems).toEqual([]);
    expect(byName(servers, 'notes')).toMatchObject({ type: 'stdio', command: '${userHome}/bin/notes-mcp', syntax: 'cursor' });
    expect(byName(servers, 'context7')).toMatchObject({ type: 'http', url: 'https://mcp.context7.com/mcp' });
  });

  it('VS Code: JSONC with comments and trailing commas, inputs, envFile; dev settings noted, not imported', () => {
    const { servers, problems, inputs } = vscode.parse(fixture('vscode/mcp.json'));
    expect(servers.map((s) => s.name)).toEqual(['playwright', 'github', 'perplexity']);
    expect(inputs.map((i) => [i.id, i.password])).toEqual([
      ['github-token', true],
      ['perplexity-key', true],
    ]);
    expect(byName(servers, 'perplexity').envFile).toBe('${workspaceFolder}/.env');
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', server: 'playwright', line: 9, reason: expect.stringContaining('"dev" is not carried over') }),
    ]);
  });

  it('VS Code: the older "mcp" key in settings.json', () => {
    const { servers, problems } = vscode.parse(fixture('vscode/settings.json'), { kind: 'settings', scope: 'user' });
    expect(problems).toEqual([]);
    expect(servers).toMatchObject([{ name: 'time', command: 'uvx', args: ['mcp-server-time'] }]);
  });

  it('Windsurf: serverUrl for remote servers, disabled kept, tool filters noted', () => {
    const { servers, problems } = windsurf.parse(fixture('windsurf/mcp_config.json'));
    expect(byName(servers, 'figma')).toMatchObject({ type: 'http', url: 'https://mcp.figma.com/mcp' });
    expect(byName(servers, 'brave-search').disabled).toBe(true);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringContaining('"disabledTools" is not carried over')]);
  });

  it('Switchboard’s own export file: the common mcpServers shape with cwd', () => {
    const { servers, problems } = mcpServersFile.parse(fixture('switchboard/mcp-servers.json'));
    expect(problems).toEqual([]);
    expect(servers).toMatchObject([
      { name: 'everything', type: 'stdio', cwd: '/tmp', env: [{ name: 'DEBUG', value: '1' }] },
      { name: 'remote', type: 'sse', url: 'https://example.com/sse' },
    ]);
  });

  it('a malformed file is listed with its line and imports nothing', () => {
    const { servers, problems } = cursor.parse(fixture('hostile/malformed.json'));
    expect(servers).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(problems[0]!.reason).toMatch(/Malformed JSON/);
  });

  it('comments in a plain-JSON client file are reported, not accepted silently', () => {
    const { servers, problems } = claudeDesktop.parse('{\n  // a comment\n  "mcpServers": {}\n}');
    expect(servers).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 2 });
  });

  it('unknown fields and bad entries are each listed with a reason and line; good ones still come through', () => {
    const { servers, problems } = cursor.parse(fixture('hostile/unknown-and-bad.json'));
    expect(servers.map((s) => s.name)).toEqual(['extra']);
    expect(servers[0]!.unknownFields).toEqual(['autoApprove', 'timeout']);
    const reasons = Object.fromEntries(problems.filter((p) => p.severity === 'error').map((p) => [p.server, p.reason]));
    expect(reasons).toEqual({
      'bad-args': '"args" must be an array of strings.',
      both: expect.stringContaining('both a command and a URL'),
      neither: expect.stringContaining('neither a command nor a URL'),
      'wrong-type': expect.stringContaining('Unknown server type "websocket"'),
      'not-object': expect.stringContaining('not an object'),
    });
    expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
  });

  it('an empty file has no servers and no problems', () => {
    expect(vscode.parse('')).toEqual({ servers: [], problems: [], inputs: [] });
  });
});
