import { describe, expect, it } from 'vitest';
import { parseInstallLink } from '../../electron/core/install-links';
import { startTestCore, type TestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

// The link shapes servers publish today, as their READMEs print them.

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const cursorLink = (name: string, entry: unknown) =>
  `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(b64(entry))}`;
const vscodeLink = (entry: unknown) => `vscode:mcp/install?${encodeURIComponent(JSON.stringify(entry))}`;
const ownLink = (name: string, entry: unknown) => `switchboard://install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(b64(entry))}`;

describe('parseInstallLink: the shapes servers publish', () => {
  it.each([
    [
      'Cursor, stdio',
      cursorLink('postgres', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] }),
      'cursor',
    ],
    [
      'Switchboard, Cursor-style config',
      ownLink('postgres', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] }),
      'switchboard',
    ],
    [
      'VS Code',
      vscodeLink({ name: 'postgres', command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] }),
      'vscode',
    ],
    [
      'VS Code Insiders',
      vscodeLink({ name: 'postgres', command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] }).replace(
        'vscode:',
        'vscode-insiders:',
      ),
      'vscode',
    ],
    [
      'Switchboard wrapping VS Code',
      `switchboard://install?vscode=${encodeURIComponent(JSON.stringify({ name: 'postgres', type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] }))}`,
      'vscode',
    ],
  ])('%s: a stdio server prefill', (_, link, source) => {
    expect(parseInstallLink(link)).toEqual({
      ok: true,
      source,
      warnings: [],
      server: {
        transport: 'stdio',
        name: 'postgres',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'],
        env: [],
      },
    });
  });

  it('a remote server: url, type sse, a plain header kept and an Authorization header left for the user', () => {
    const result = parseInstallLink(
      vscodeLink({ name: 'docs', type: 'sse', url: 'https://mcp.example.com/sse', headers: { 'X-Team': 'blue', Authorization: 'Bearer abc' } }),
    );
    expect(result).toMatchObject({
      ok: true,
      source: 'vscode',
      server: {
        transport: 'http',
        name: 'docs',
        url: 'https://mcp.example.com/sse',
        mode: 'sse',
        headers: [
          { name: 'X-Team', secret: false, value: 'blue' },
          { name: 'Authorization', secret: true },
        ],
      },
    });
    expect(result.ok && result.server.transport === 'http' && result.server.headers[1]).not.toHaveProperty('value');
  });

  it('Cursor base64 whose "+" became a space in the query string still decodes', () => {
    const config = b64({ url: 'https://mcp.example.com/mcp?x=>>>' });
    expect(config).toContain('+');
    expect(parseInstallLink(`cursor://anysphere.cursor-deeplink/mcp/install?name=x&config=${config}`)).toMatchObject({
      ok: true,
      server: { url: 'https://mcp.example.com/mcp?x=>>>' },
    });
  });

  it('env: plain values prefilled, secret-looking names, token-like values and placeholders left empty with a warning', () => {
    const result = parseInstallLink(
      cursorLink('gh', {
        command: 'docker',
        args: ['run', '-i', 'ghcr.io/github/github-mcp-server'],
        env: { LOG_LEVEL: 'debug', GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_x', OTHER: 'Zx9qT4mLw8Rk2VbN7pYc', KEY: '${input:key}' },
      }),
    );
    expect(result.ok && result.server.transport === 'stdio' && result.server.env).toEqual([
      { name: 'LOG_LEVEL', secret: false, value: 'debug' },
      { name: 'GITHUB_PERSONAL_ACCESS_TOKEN', secret: true },
      { name: 'OTHER', secret: true },
      { name: 'KEY', secret: true },
    ]);
    expect(result.ok && result.warnings).toHaveLength(3);
  });

  it('unknown fields are listed as warnings, not applied', () => {
    const result = parseInstallLink(vscodeLink({ name: 'x', command: 'node', envFile: '/etc/passwd', dev: { watch: '**' }, gallery: true }));
    expect(result).toMatchObject({
      ok: true,
      warnings: [expect.stringContaining('"envFile"'), expect.stringContaining('"dev"'), expect.stringContaining('"gallery"')],
    });
    expect(result.ok && result.server).not.toHaveProperty('envFile');
  });

  it.each([
    ['another scheme', 'https://example.com/install?name=x&config=e30=', 'not an install link'],
    ['another switchboard path', `switchboard://connect?name=x&config=${b64({ command: 'node' })}`, 'not an install link'],
    ['no name', `cursor://anysphere.cursor-deeplink/mcp/install?config=${b64({ command: 'node' })}`, 'does not name the server'],
    ['no config', 'switchboard://install?name=x', 'no config'],
    ['not base64', 'switchboard://install?name=x&config=%%%', 'not base64'],
    ['JSON with a trailing comma', `switchboard://install?vscode=${encodeURIComponent('{"name":"x","command":"node",}')}`, 'not valid JSON'],
    ['an array', `switchboard://install?vscode=${encodeURIComponent('[]')}`, 'not a JSON object'],
    ['neither command nor url', vscodeLink({ name: 'x' }), 'neither a command nor a URL'],
    ['both command and url', vscodeLink({ name: 'x', command: 'node', url: 'https://a.example' }), 'both a command and a URL'],
    ['args not a list', vscodeLink({ name: 'x', command: 'node', args: 'a b' }), 'args must be a list'],
    ['env not an object', vscodeLink({ name: 'x', command: 'node', env: ['A=1'] }), 'env must be an object'],
  ])('refused with a reason: %s', (_, link, reason) => {
    const result = parseInstallLink(link);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('the install-link queue', () => {
  let test: TestCore | undefined;
  const track = useCleanup();

  it('a link that arrives before the window is up waits for takeInstallLink, which clears it', async () => {
    test = track(startTestCore());
    test.core.installLinks.receive(cursorLink('early', { command: 'node', args: ['server.js'] }));
    expect(test.events.some((e) => e.name === 'installLinkReceived')).toBe(true);
    expect(await test.call('takeInstallLink', {})).toMatchObject({
      link: { ok: true, source: 'cursor', server: { name: 'early', command: 'node', args: ['server.js'] } },
    });
    expect(await test.call('takeInstallLink', {})).toEqual({});
  });
});
