import { describe, expect, it } from 'vitest';
import {
  changedHunks,
  claudeCode,
  claudeDesktop,
  convert,
  cursor,
  mcpServersFile,
  vscode,
  windsurf,
  type ExportEntry,
  type ImportCandidate,
} from '../../electron/core/client-configs';
import { fixture } from './fixtures';

const stdio: ExportEntry = {
  name: 'everything',
  transport: 'stdio',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-everything', '--flag=a b'],
  env: [{ name: 'DEBUG', value: '1', secret: false }],
};
const remote: ExportEntry = {
  name: 'docs',
  transport: 'http',
  url: 'https://example.com/mcp',
  mode: 'sse',
  headers: [{ name: 'X-Team', value: 'blue', secret: false }],
};

/** The parts of a candidate an export entry determines. */
function launchOf(c: ImportCandidate) {
  return c.type === 'stdio'
    ? { name: c.name, transport: 'stdio', command: c.command, args: c.args, ...(c.cwd ? { cwd: c.cwd } : {}), env: c.env.map((e) => ({ ...e, secret: false })) }
    : { name: c.name, transport: 'http', url: c.url, sse: c.type === 'sse', headers: c.headers.map((h) => ({ ...h, secret: false })) };
}
const expected = (e: ExportEntry, sseKnown = true) =>
  e.transport === 'stdio' ? e : { name: e.name, transport: 'http', url: e.url, sse: sseKnown && e.mode === 'sse', headers: e.headers };

describe('writing servers into a client’s file', () => {
  it.each([
    ['Claude Code', claudeCode.write, claudeCode.parse, [stdio, remote]],
    ['Cursor', cursor.write, cursor.parse, [stdio, remote]],
    ['VS Code', vscode.write, vscode.parse, [stdio, remote]],
    ['Switchboard’s export', mcpServersFile.write, mcpServersFile.parse, [{ ...stdio, cwd: '/srv' }, remote]],
    ['Claude Desktop', claudeDesktop.write, claudeDesktop.parse, [stdio]],
  ] as const)('%s: parse(write(x)) gives x back', (_client, write, parse, entries) => {
    const written = write(undefined, [...entries]);
    expect(written.refused).toEqual([]);
    expect(parse(written.text).servers.map(launchOf)).toEqual(entries.map((e) => expected(e)));
    // And again on top of itself: nothing changes.
    expect(write(written.text, [...entries]).text).toBe(written.text);
  });

  it('Windsurf: remote servers go under serverUrl; SSE is not distinguished there', () => {
    const written = windsurf.write(undefined, [stdio, remote]);
    expect(written.text).toContain('"serverUrl": "https://example.com/mcp"');
    expect(windsurf.parse(written.text).servers.map(launchOf)).toEqual([stdio, remote].map((e) => expected(e, false)));
  });

  it('VS Code: comments, trailing commas, inputs, sandbox and unowned fields of an entry survive; only the entry changes', () => {
    const before = fixture('vscode/mcp.json');
    const result = vscode.write(before, [{ name: 'playwright', transport: 'stdio', command: 'npx', args: ['@playwright/mcp@1.2.3'], env: [] }, stdio]);
    for (const kept of [
      '// VS Code user MCP servers — hand-edited, keep the comments.',
      '// Playwright for browser automation',
      "/* GitHub's hosted server */",
      '"dev": { "watch": "src/**/*.ts" }, // only while hacking on it',
      '"sandbox": { "network": "allow" }, // not Switchboard\'s',
      '"id": "github-token"',
    ])
      expect(result.text).toContain(kept);
    const after = vscode.parse(result.text);
    expect(after.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(after.servers.map((s) => s.name)).toEqual(['playwright', 'github', 'perplexity', 'everything']);
    expect(after.servers[0]!.args).toEqual(['@playwright/mcp@1.2.3']);
    const { line: _l, column: _c, ...github } = vscode.parse(before).servers[1]!;
    expect(after.servers[1]).toMatchObject(github); // untouched
    const changed = changedHunks(result.diff, 0).filter((d) => d.op !== ' ');
    expect(changed.filter((d) => d.op === '-').map((d) => d.text.trim())).toEqual(['"args": ["@playwright/mcp@latest"],']);
  });

  it('VS Code: the older settings.json "mcp" key is written in place, other settings kept', () => {
    const result = vscode.write(fixture('vscode/settings.json'), [stdio], { kind: 'settings' });
    expect(result.text).toContain('"editor.fontSize": 14');
    expect(result.text).toContain('// older builds kept MCP servers here');
    expect(vscode.parse(result.text, { kind: 'settings', scope: 'user' }).servers.map((s) => s.name)).toEqual(['time', 'everything']);
  });

  it('Claude Desktop: app keys and other servers kept; a remote server is refused plainly, no URL written', () => {
    const before = fixture('claude-desktop/claude_desktop_config.json');
    const result = claudeDesktop.write(before, [stdio, remote]);
    expect(result.written).toEqual(['everything']);
    expect(result.refused).toEqual([{ name: 'docs', reason: claudeDesktop.REMOTE_NOT_EXPORTABLE }]);
    expect(result.refused[0]!.reason).toMatch(/through the gateway instead.*Write to a client’s config/);
    expect(result.text).not.toContain('example.com');
    const parsed = JSON.parse(result.text) as Record<string, unknown>;
    expect(parsed.globalShortcut).toBe('Ctrl+Space');
    expect(parsed.preferences).toEqual({ menuBarEnabled: false });
    expect(Object.keys(parsed.mcpServers as object)).toEqual(['filesystem', 'github', 'everything']);
  });

  it('Claude Code: into a project’s local scope, leaving history and the user scope alone', () => {
    const before = fixture('claude-code/claude.json');
    const result = claudeCode.write(before, [stdio], { project: '/home/ada/src/shop' });
    const parsed = claudeCode.parse(result.text);
    expect(parsed.servers.map((s) => [s.name, s.scope])).toEqual([
      ['sentry', 'user'],
      ['memory', 'user'],
      ['postgres', 'local'],
      ['everything', 'local'],
    ]);
    expect(JSON.parse(result.text).projects['/home/ada/src/shop'].history).toEqual([{ display: 'fix the tests' }]);
  });

  it('an existing entry keeps the fields Switchboard does not own; owned fields that no longer apply go', () => {
    const before = '{\n  "mcpServers": {\n    "x": { "command": "old", "args": [], "disabled": true, "autoApprove": ["read"] }\n  }\n}\n';
    const result = windsurf.write(before, [{ name: 'x', transport: 'http', url: 'https://example.com/mcp', mode: 'auto', headers: [] }]);
    const entry = JSON.parse(result.text).mcpServers.x;
    expect(entry).toEqual({ disabled: true, autoApprove: ['read'], serverUrl: 'https://example.com/mcp' });
  });

  it('a file that cannot be read is not written (nothing it holds can be lost)', () => {
    expect(() => cursor.write(fixture('hostile/malformed.json'), [stdio])).toThrow(/Not writing.*line|cannot be read/);
    expect(() => cursor.write('{"mcpServers": []}', [stdio])).toThrow(/not an object/);
    expect(() => cursor.write('[1]', [stdio])).toThrow(/Not writing/);
  });

  it('text the client would expand as a variable is written but flagged, so the preview says the server may see another value', () => {
    const entry: ExportEntry = {
      name: 'lit',
      transport: 'stdio',
      command: 'node',
      args: ['--greeting=${HOME}', 'plain'],
      env: [{ name: 'T', value: 'tok', secret: true }],
    };
    const result = claudeCode.write(undefined, [entry]);
    expect(result.warnings).toEqual([{ name: 'lit', reason: expect.stringContaining('${HOME}') }]);
    expect(result.warnings[0]!.reason).not.toContain('${T}'); // our own reference is not a surprise
    expect(claudeDesktop.write(undefined, [{ ...entry, env: [] }]).warnings).toEqual([]); // Claude Desktop expands nothing
  });

  it('a byte-order mark and CRLF line ends (Windows editors) are read and kept', () => {
    const before = '\ufeff{\r\n  "mcpServers": {}\r\n}\r\n';
    expect(cursor.parse(before).problems).toEqual([]);
    const result = cursor.write(before, [stdio]);
    expect(result.text.startsWith('\ufeff{\r\n')).toBe(true);
    expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(cursor.parse(result.text).servers.map((s) => s.name)).toEqual(['everything']);
  });

  it('tab-indented files stay tab-indented', () => {
    const result = cursor.write('{\n\t"mcpServers": {}\n}\n', [stdio]);
    expect(result.text).toMatch(/\n\t\t"everything": \{\n\t\t\t"command"/);
  });
});

describe('secrets on export', () => {
  const secretEnv: ExportEntry = {
    name: 'gh',
    transport: 'stdio',
    command: 'npx',
    args: [],
    env: [{ name: 'GITHUB_TOKEN', value: 'ghp_realtokenrealtokenrealtokenrealtoken', secret: true }],
  };
  const secretHeader: ExportEntry = {
    name: 'api',
    transport: 'http',
    url: 'https://example.com/mcp',
    mode: 'auto',
    headers: [{ name: 'Authorization', value: 'Bearer s3cr3t-t0ken-value', secret: true }],
  };

  it('VS Code: a secret becomes ${input:…} with a password input; the value is not written', () => {
    const result = vscode.write(undefined, [secretEnv, secretHeader]);
    expect(result.text).not.toContain('ghp_');
    expect(result.text).not.toContain('s3cr3t');
    const parsed = vscode.parse(result.text);
    expect(parsed.servers[0]!.env).toEqual([{ name: 'GITHUB_TOKEN', value: '${input:gh-github_token}' }]);
    expect(parsed.inputs).toEqual([
      { id: 'gh-github_token', type: 'promptString', description: 'GITHUB_TOKEN for gh', password: true },
      { id: 'api-authorization', type: 'promptString', description: 'Authorization for api', password: true },
    ]);
    // Writing again does not add the inputs twice.
    expect(vscode.parse(vscode.write(result.text, [secretEnv]).text).inputs).toHaveLength(2);
  });

  it('VS Code: two secrets whose names would make the same input id get separate inputs', () => {
    const a: ExportEntry = { name: 'a-b', transport: 'stdio', command: 'x', args: [], env: [{ name: 'c', value: '1', secret: true }] };
    const b: ExportEntry = { name: 'a', transport: 'stdio', command: 'x', args: [], env: [{ name: 'b-c', value: '2', secret: true }] };
    const parsed = vscode.parse(vscode.write(undefined, [a, b]).text);
    expect(parsed.inputs.map((i) => i.id)).toEqual(['a-b-c', 'a-b-c-2']);
    expect(parsed.servers.map((s) => s.env[0]!.value)).toEqual(['${input:a-b-c}', '${input:a-b-c-2}']);
  });

  it('Cursor: a secret becomes ${env:NAME} and the user is told which variable to set', () => {
    const result = cursor.write(undefined, [secretEnv, secretHeader]);
    expect(result.text).not.toContain('ghp_');
    expect(result.text).not.toContain('s3cr3t');
    expect(result.indirections.map((i) => i.placeholder)).toEqual(['${env:GITHUB_TOKEN}', '${env:API_AUTHORIZATION}']);
    expect(result.indirections[1]!.note).toMatch(/Set API_AUTHORIZATION/);
  });

  it('Claude Desktop and Windsurf have no indirection: refused unless this value is confirmed for plaintext', () => {
    for (const write of [claudeDesktop.write, windsurf.write]) {
      const refused = write(undefined, [secretEnv]);
      expect(refused.written).toEqual([]);
      expect(refused.refused[0]!.reason).toMatch(/GITHUB_TOKEN is a secret.*confirm/);
      expect(refused.text).not.toContain('ghp_');
      const confirmed = write(undefined, [{ ...secretEnv, env: [{ ...secretEnv.env[0]!, plaintextConfirmed: true }] }]);
      expect(confirmed.text).toContain('ghp_realtoken');
    }
  });

  it('Switchboard’s export: secrets as ${NAME}; importing the file back asks for them instead of inventing them', () => {
    const text = mcpServersFile.write(undefined, [secretEnv]).text;
    expect(text).not.toContain('ghp_');
    const [candidate] = mcpServersFile.parse(text).servers;
    expect(candidate!.env).toEqual([{ name: 'GITHUB_TOKEN', value: '${GITHUB_TOKEN}' }]);
    const restored = convert(candidate!, { env: {}, existing: [] });
    expect(restored.input).toMatchObject({ transport: 'stdio', command: 'npx', env: [{ name: 'GITHUB_TOKEN', secret: true }] });
    expect(restored.needsValues).toEqual([{ field: 'env', name: 'GITHUB_TOKEN', missing: ['${GITHUB_TOKEN}'] }]);
    // Set in the environment, it is taken from there.
    expect(convert(candidate!, { env: { GITHUB_TOKEN: 'ghp_x' }, existing: [] }).input).toMatchObject({
      env: [{ name: 'GITHUB_TOKEN', value: 'ghp_x', secret: true }],
    });
  });
});
