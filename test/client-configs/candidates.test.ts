import { describe, expect, it } from 'vitest';
import {
  claudeCode,
  claudeDesktop,
  convert,
  cursor,
  inputsToAsk,
  looksSecret,
  normalizeUrl,
  vscode,
  windsurf,
  type ExistingServer,
} from '../../electron/core/client-configs';
import { fixture } from './fixtures';

const existing: ExistingServer[] = [
  {
    id: 's1',
    name: 'My FS',
    config: {
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/ada/Desktop', '/Users/ada/Downloads'],
      env: [],
    },
  },
  { id: 's2', name: 'Sentry', config: { transport: 'http', url: 'https://MCP.sentry.dev:443/mcp/', mode: 'auto', headers: [], omitResourceParameter: false } },
];

describe('what an entry becomes in Switchboard', () => {
  it('Claude Desktop stdio entries: secret-looking env values go to the vault; a server already present is a duplicate', () => {
    const { servers } = claudeDesktop.parse(fixture('claude-desktop/claude_desktop_config.json'));
    const [fs, gh] = servers.map((s) => convert(s, { env: {}, existing }));
    expect(fs!.duplicateOf).toEqual({ id: 's1', name: 'My FS' });
    expect(gh!.input).toMatchObject({ transport: 'stdio', command: 'docker', env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', secret: true }] });
    expect(gh!.skipped).toBeUndefined();
  });

  it('Claude Code: variables expand from the given env; the same URL written differently is a duplicate', () => {
    const { servers } = claudeCode.parse(fixture('claude-code/claude.json'));
    const [sentry, memory, postgres] = servers.map((s) => convert(s, { env: { SENTRY_TOKEN: 'sntrys_abcdefghijklmnopqrstuvwxyz012345' }, existing }));
    expect(sentry!.duplicateOf).toEqual({ id: 's2', name: 'Sentry' });
    expect(sentry!.input).toMatchObject({
      transport: 'http',
      mode: 'auto',
      headers: [{ name: 'Authorization', value: 'Bearer sntrys_abcdefghijklmnopqrstuvwxyz012345', secret: true }],
    });
    expect(memory!.input).toMatchObject({ env: [{ name: 'MEMORY_FILE_PATH', value: '/tmp/memory.json', secret: false }] });
    expect(postgres!.input).toBeUndefined();
    expect(postgres!.skipped).toMatch(/Cannot resolve \$\{DATABASE_URL\}/);
  });

  it('Cursor: ${userHome} and ${workspaceFolder} need their context; a non-secret-looking header name with a token value is still a secret', () => {
    const { servers } = cursor.parse(fixture('cursor/mcp.json'));
    const ctx = { env: { NOTES_API_KEY: 'k' }, userHome: '/home/ada', workspaceFolder: '/w', existing: [] };
    const [notes, c7] = servers.map((s) => convert(s, ctx));
    expect(notes!.input).toMatchObject({
      command: '/home/ada/bin/notes-mcp',
      args: ['--root', '/w/notes'],
      env: [{ name: 'NOTES_API_KEY', value: 'k', secret: true }],
    });
    expect(c7!.input).toMatchObject({ headers: [{ name: 'CONTEXT7_API_KEY', secret: true }] });
    expect(convert(servers[0]!, { env: {}, existing: [] }).skipped).toMatch(/\$\{userHome\}/);
  });

  it('VS Code: each ${input:id} is asked once across servers, and a password input’s answer is a secret', () => {
    const parsed = vscode.parse(fixture('vscode/mcp.json'));
    const first = parsed.servers.map((s) => convert(s, { env: {}, workspaceFolder: '/w', declaredInputs: parsed.inputs, existing: [] }));
    expect(first.map((c) => c.skipped ?? 'ok')).toEqual([
      'ok',
      expect.stringMatching(/Waiting for "github-token"/),
      expect.stringMatching(/Waiting for "perplexity-key"/),
    ]);
    const doubled = [...first, ...first];
    expect(inputsToAsk(doubled).map((i) => i.id)).toEqual(['github-token', 'perplexity-key']);
    const answers = { 'github-token': 'plain-words', 'perplexity-key': 'short' };
    const envFileVars = [
      { name: 'PERPLEXITY_MODEL', value: 'sonar' },
      { name: 'PERPLEXITY_API_KEY', value: 'overridden-by-env' },
    ];
    const gh = convert(parsed.servers[1]!, { env: {}, inputs: answers, declaredInputs: parsed.inputs, existing: [] });
    expect(gh.input).toMatchObject({ headers: [{ name: 'Authorization', value: 'Bearer plain-words', secret: true }] });
    const px = convert(parsed.servers[2]!, { env: {}, inputs: answers, declaredInputs: parsed.inputs, envFileVars, existing: [] });
    expect(px.input).toMatchObject({
      env: [
        { name: 'PERPLEXITY_MODEL', value: 'sonar', secret: false },
        { name: 'PERPLEXITY_API_KEY', value: 'short', secret: true },
      ],
    });
  });

  it('Windsurf: disabled entries come in disabled; a name already taken by another server is flagged', () => {
    const { servers } = windsurf.parse(fixture('windsurf/mcp_config.json'));
    const brave = convert(servers[1]!, { env: {}, existing: [{ id: 'x', name: 'Brave-Search', config: existing[0]!.config }] });
    expect(brave.input).toMatchObject({ enabled: false, env: [{ name: 'BRAVE_API_KEY', secret: true }] });
    expect(brave.nameTaken).toBe(true);
    expect(convert(servers[0]!, { env: {}, existing: [] }).input).toMatchObject({
      transport: 'http',
      url: 'https://mcp.figma.com/mcp',
      headers: [{ name: 'X-Figma-Token', secret: true }],
    });
  });

  it('secret detection: names and token-shaped values, not ordinary settings', () => {
    expect(looksSecret('API_KEY', 'x')).toBe(true);
    expect(looksSecret('X', 'Bearer abcdefghijklmnopqrstuvwxyz')).toBe(true);
    expect(looksSecret('DATABASE', 'postgres://app:hunter22@db/x')).toBe(true);
    expect(looksSecret('LOG_LEVEL', 'debug')).toBe(false);
    expect(looksSecret('ROOT', '/Users/ada/Desktop')).toBe(false);
  });

  it('URL normalisation for duplicates: host case, default port, trailing slash, fragment', () => {
    expect(normalizeUrl('https://Example.com:443/mcp/#x')).toBe(normalizeUrl('https://example.com/mcp'));
    expect(normalizeUrl('https://example.com/mcp?a=1')).not.toBe(normalizeUrl('https://example.com/mcp'));
  });
});
