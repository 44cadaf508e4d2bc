import { describe, expect, it } from 'vitest';
import { isOneLineCommand, joinCommandLine, relativePathArgs, splitCommandLine, suggestName, tokenize } from './command-line';
import { normalizeServerUrl } from './server-url';

const split = (line: string) => {
  const r = splitCommandLine(line);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('splitting a one-line command without a shell', () => {
  it('splits a plain npx line into program and arguments', () => {
    expect(split('npx -y @modelcontextprotocol/server-memory')).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: [] });
  });

  it('keeps quoted words together and removes the quotes', () => {
    expect(split(`node "/Users/Ada Lovelace/server.js" --name 'two words' --msg "say \\"hi\\""`).args).toEqual([
      '/Users/Ada Lovelace/server.js',
      '--name',
      'two words',
      '--msg',
      'say "hi"',
    ]);
    expect(split(`uvx mcp-server-git --repository ""`).args).toEqual(['mcp-server-git', '--repository', '']);
    expect(split(`a it\\'s b\\ c`).args).toEqual(["it's", 'b c']);
  });

  it('expands nothing: $VARS, globs, ~ and backticks stay literal', () => {
    expect(split('server $HOME ~/data *.json `whoami` "$(id)"').args).toEqual(['$HOME', '~/data', '*.json', '`whoami`', '$(id)']);
  });

  it('keeps Windows paths, and quoted paths with spaces', () => {
    expect(split('"C:\\Program Files\\nodejs\\node.exe" C:\\srv\\index.js')).toEqual({
      command: 'C:\\Program Files\\nodejs\\node.exe',
      args: ['C:\\srv\\index.js'],
      env: [],
    });
  });

  it('takes leading NAME=value words as environment variables, and drops a copied prompt and line continuations', () => {
    expect(split('$ API_KEY=abc DEBUG=1 npx -y pkg \\\n  --port 3000')).toEqual({
      command: 'npx',
      args: ['-y', 'pkg', '--port', '3000'],
      env: [
        { name: 'API_KEY', value: 'abc' },
        { name: 'DEBUG', value: '1' },
      ],
    });
  });

  it('refuses pipes, lists, redirects and unclosed quotes with a reason', () => {
    expect(splitCommandLine('npx pkg | tee log')).toMatchObject({ ok: false, error: expect.stringContaining('without a shell') });
    expect(splitCommandLine('cd dir && node index.js')).toMatchObject({ ok: false, error: expect.stringContaining('“&&”') });
    expect(splitCommandLine('node x.js > out.txt')).toMatchObject({ ok: false });
    expect(splitCommandLine('node x.js; rm -rf ~')).toMatchObject({ ok: false });
    expect(splitCommandLine('node "unfinished')).toEqual({ ok: false, error: 'A double quote is not closed.' });
    // Quoted, they are just characters.
    expect(split('node x.js "a|b" \'c && d\'').args).toEqual(['x.js', 'a|b', 'c && d']);
  });

  it('copies a command line that splits back into the same words', () => {
    const args = ['-y', '/Users/Ada Lovelace/x.js', "it's", '', 'a|b', '$HOME', 'plain'];
    const line = joinCommandLine('/usr/bin/node', args);
    expect(line).toBe(`/usr/bin/node -y '/Users/Ada Lovelace/x.js' 'it'\\''s' '' 'a|b' '$HOME' plain`);
    expect(split(line)).toEqual({ command: '/usr/bin/node', args, env: [] });
  });

  it('tells a one-line command from a program alone', () => {
    expect(isOneLineCommand('npx')).toBe(false);
    expect(isOneLineCommand('/usr/local/bin/my-server')).toBe(false);
    expect(isOneLineCommand('npx -y pkg')).toBe(true);
    expect(tokenize('  ')).toEqual({ ok: true, words: [] });
  });

  it('suggests a name from the package or script', () => {
    expect(suggestName('npx', ['-y', '@modelcontextprotocol/server-memory@2025.1.1'])).toBe('memory');
    expect(suggestName('uvx', ['mcp-server-git', '--repository', '.'])).toBe('git');
    expect(suggestName('node', ['./dist/index.js'])).toBe('index');
    expect(suggestName('/usr/local/bin/weather-mcp', [])).toBe('weather');
  });

  it('finds relative path arguments', () => {
    expect(relativePathArgs(['./dist/index.js', 'dist/server.py', '--root=../data', '.', '/abs/x.js', '-y', '@scope/pkg', 'https://x/y.js', 'plain'])).toEqual([
      0, 1, 2, 3,
    ]);
  });
});

describe('normalizing a remote server URL', () => {
  it('adds http:// for this machine only', () => {
    expect(normalizeServerUrl('localhost:3000/mcp')).toEqual({ url: 'http://localhost:3000/mcp', added: 'http' });
    expect(normalizeServerUrl('127.0.0.1:8080/mcp')).toEqual({ url: 'http://127.0.0.1:8080/mcp', added: 'http' });
    expect(normalizeServerUrl('[::1]:9000')).toEqual({ url: 'http://[::1]:9000', added: 'http' });
  });

  it('adds https:// for any other host, including ones that merely contain "localhost"', () => {
    expect(normalizeServerUrl('example.com/mcp')).toEqual({ url: 'https://example.com/mcp', added: 'https' });
    expect(normalizeServerUrl('localhost.evil.com/mcp')).toEqual({ url: 'https://localhost.evil.com/mcp', added: 'https' });
    expect(normalizeServerUrl('127.0.0.1.nip.io/mcp').added).toBe('https');
  });

  it('leaves URLs with a scheme, and other schemes, for the URL guard', () => {
    expect(normalizeServerUrl(' https://example.com/mcp ')).toEqual({ url: 'https://example.com/mcp' });
    expect(normalizeServerUrl('http://example.com/mcp')).toEqual({ url: 'http://example.com/mcp' });
    expect(normalizeServerUrl('javascript:alert(1)')).toEqual({ url: 'javascript:alert(1)' });
    expect(normalizeServerUrl('')).toEqual({ url: '' });
  });
});
