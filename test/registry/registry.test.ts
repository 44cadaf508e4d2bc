import { beforeAll, describe, expect, it } from 'vitest';
import { startRegistryFixture, type RegistryFixture } from '../fixtures/registry/server';
import { startTestCore, type TestCore } from '../helpers/core';

// The registry feature against a real-shaped registry on 127.0.0.1, through the
// core's dispatch exactly as IPC calls it.

let registry: RegistryFixture;
let t: TestCore;

beforeAll(async () => {
  registry = await startRegistryFixture();
  t = startTestCore();
  await t.call('setRegistrySettings', { url: registry.url });
  return async () => {
    await t.close();
    await registry.close();
  };
});

describe('registry browsing', () => {
  it('the registry URL is a setting, the public one by default, https or loopback http only', async () => {
    const fresh = startTestCore();
    try {
      expect(await fresh.call('getRegistrySettings', {})).toEqual({
        url: 'https://registry.modelcontextprotocol.io',
        defaultUrl: 'https://registry.modelcontextprotocol.io',
      });
      await expect(fresh.call('setRegistrySettings', { url: 'http://registry.corp.example' })).rejects.toThrow(/plain http is only allowed for loopback/);
      await expect(fresh.call('setRegistrySettings', { url: 'javascript:alert(1)' })).rejects.toThrow(/scheme is not allowed/);
      expect((await fresh.call('setRegistrySettings', { url: 'https://registry.corp.example/' })).url).toBe('https://registry.corp.example');
      expect((await fresh.call('setRegistrySettings', { url: '' })).url).toBe('https://registry.modelcontextprotocol.io');
    } finally {
      await fresh.close();
    }
  });

  it('searches, pages through results with the cursor, and skips entries that are not active', async () => {
    const first = await t.call('searchRegistry', { search: 'example' });
    const names = first.entries.map((e) => e.name);
    expect(names).toContain('io.github.example/weather');
    expect(names).not.toContain('io.github.example/gone');
    expect(first.skipped).toBe(1);
    expect(registry.requests.some((r) => r.startsWith('/v0.1/servers?') && r.includes('search=example') && r.includes('limit=30'))).toBe(true);

    const all: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.call('searchRegistry', { cursor });
      all.push(...page.entries.map((e) => e.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(all).toContain('io.github.evil/huge');
    expect(new Set(all).size).toBe(all.length);
  });

  it('summaries are bounded: a 100 000-character description is cut', async () => {
    const { entries } = await t.call('searchRegistry', { search: 'huge' });
    expect(entries[0]!.description.length).toBeLessThanOrEqual(300);
  });

  it("lists a server's active versions, without deprecated ones", async () => {
    expect((await t.call('registryVersions', { name: 'io.github.example/weather' })).versions).toEqual(['1.2.0', '1.1.0']);
  });
});

describe('install plans', () => {
  it('npm: npx -y <id>@<version>, with package arguments and the variables to ask for', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.example/weather', version: '1.2.0' });
    const [npm] = plan.options;
    expect(npm!.becomes).toMatchObject({ transport: 'stdio', command: 'npx', args: ['-y', '@example/weather-mcp@1.2.0', '--units', '{units}', '{data_dir}'] });
    const byKey = Object.fromEntries(npm!.variables.map((v) => [v.key, v]));
    expect(byKey['env:WEATHER_API_KEY']).toMatchObject({ required: true, secret: true });
    expect(byKey['env:WEATHER_REGION']).toMatchObject({ required: false, secret: false, default: 'eu' });
    expect(byKey['arg:units']).toMatchObject({ default: 'metric', choices: ['metric', 'imperial'] });
    expect(byKey['arg:data_dir']).toMatchObject({ required: true });
  });

  it('pypi: uvx <id>==<version>, runtime arguments before the package', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.example/pyfetch', version: '0.4.1' });
    expect(plan.options[0]!.becomes).toMatchObject({ command: 'uvx', args: ['--python', '3.12', 'mcp-pyfetch==0.4.1'] });
  });

  it('oci: docker run -i --rm <runtime args> -e NAME <image>', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.example/containers', version: '2.0.0' });
    expect(plan.options[0]!.becomes).toMatchObject({
      command: 'docker',
      args: ['run', '-i', '--rm', '--mount', 'type=bind,src={source},dst=/data', '-e', 'TOKEN', 'ghcr.io/example/containers-mcp:2.0.0'],
    });
  });

  it('remotes become http servers with their headers', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.example/remote', version: '3.0.0' });
    expect(plan.options[0]).toMatchObject({
      kind: 'remote',
      becomes: {
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        mode: 'streamable-http',
        headers: [{ name: 'X-Api-Key', secret: true, needsValue: true }],
      },
    });
  });

  it('a deprecated version cannot be planned or installed', async () => {
    await expect(t.call('registryInstallPlan', { name: 'io.github.example/weather', version: '1.0.9' })).rejects.toThrow(/deprecated/);
  });
});

describe('install', () => {
  it('applies the answers, keeps the secret in the vault, and still needs the launch approval showing the exact command', async () => {
    const { server } = await t.call('installFromRegistry', {
      name: 'io.github.example/weather',
      version: '1.2.0',
      option: 0,
      values: { 'env:WEATHER_API_KEY': 'sk-live-123', 'arg:data_dir': '/tmp/weather cache', 'arg:units': 'imperial' },
    });
    expect(server.name).toBe('Weather');
    expect(server.config).toMatchObject({
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@example/weather-mcp@1.2.0', '--units', 'imperial', '/tmp/weather cache'],
    });
    if (server.config.transport !== 'stdio') throw new Error('stdio expected');
    expect(server.config.env).toEqual(
      expect.arrayContaining([
        { name: 'WEATHER_API_KEY', secret: true, hasValue: true },
        { name: 'WEATHER_REGION', secret: false, value: 'eu', hasValue: true },
      ]),
    );
    expect(JSON.stringify(server)).not.toContain('sk-live-123');
    expect(server.trust).toMatchObject({
      approved: false,
      spec: { command: 'npx', args: ['-y', '@example/weather-mcp@1.2.0', '--units', 'imperial', '/tmp/weather cache'] },
    });
    await expect(t.call('connectServer', { serverId: server.id })).rejects.toThrow(/approv/i);
    // A second install of the same entry gets a free name.
    const again = await t.call('installFromRegistry', {
      name: 'io.github.example/weather',
      version: '1.2.0',
      option: 0,
      values: { 'env:WEATHER_API_KEY': 'k', 'arg:data_dir': '/d' },
    });
    expect(again.server.name).toBe('Weather-2');
  });

  it('a missing required value is a clear error and adds nothing', async () => {
    const before = (await t.call('listServers', {})).servers.length;
    await expect(
      t.call('installFromRegistry', { name: 'io.github.example/weather', version: '1.2.0', option: 0, values: { 'arg:data_dir': '/d' } }),
    ).rejects.toThrow(/WEATHER_API_KEY is required/);
    expect((await t.call('listServers', {})).servers.length).toBe(before);
  });
});
