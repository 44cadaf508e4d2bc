import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestToServer, readManifest } from '../../electron/core/registry/mcpb-manifest';
import { extractZip, readZip } from '../../electron/core/registry/zip-reader';
import { startRegistryFixture, type FixtureEntry, type RegistryFixture } from '../fixtures/registry/server';
import { FIXTURE_SERVER, firstText, startTestCore, type TestCore } from '../helpers/core';
import { writeZip, type WriteEntry } from '../helpers/zip-writer';

// An mcpb bundle is hostile input even when its hash matches: the publisher
// may be the attacker. The zip tries to write outside its folder, plant a
// symlink, exhaust memory, smuggle a second copy of a file or hide behind a
// format the reader doesn't check; the manifest tries to run something
// outside the bundle or put a secret on the command line.

const manifest = (server: Record<string, unknown>, userConfig?: Record<string, unknown>) =>
  JSON.stringify({ manifest_version: '0.3', name: 'echo', version: '1.0.0', description: 'x', author: { name: 'a' }, server, user_config: userConfig });
const NODE_SERVER = {
  type: 'node',
  entry_point: 'server/index.mjs',
  mcp_config: {
    command: 'node',
    args: ['${__dirname}/server/index.mjs', '--greeting', '${user_config.greeting}'],
    env: { ECHO_TOKEN: '${user_config.token}', ECHO_HOME: '${HOME}' },
  },
};
const USER_CONFIG = {
  token: { type: 'string', title: 'API token', sensitive: true, required: true },
  greeting: { type: 'string', title: 'Greeting', default: 'hello' },
};
const goodBundle = (extra: WriteEntry[] = []) =>
  writeZip([
    { name: 'manifest.json', data: manifest(NODE_SERVER, USER_CONFIG), deflate: true },
    { name: 'server/', mode: 0o40755 },
    // The tiny server: the fixture server (echo, add), by its absolute path.
    { name: 'server/index.mjs', data: `import ${JSON.stringify(FIXTURE_SERVER)};\n`, deflate: true },
    { name: 'bin/tool', data: '#!/bin/sh\n', mode: 0o100755 },
    ...extra,
  ]);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-mcpb-'));
  return () => rmSync(scratch, { recursive: true, force: true });
});

const dest = () => join(scratch, randomUUID());
const refused = (entries: WriteEntry[], pattern: RegExp, options?: { zip64Locator?: boolean }) => {
  const target = dest();
  expect(() => extractZip(writeZip(entries, options), target)).toThrow(pattern);
  expect(existsSync(target)).toBe(false);
  // No temp folder is left behind either.
  expect(readdirSync(scratch).filter((n) => n.endsWith('.tmp'))).toEqual([]);
};

describe('hostile zip archives', () => {
  it('an entry named ../ cannot write outside the bundle folder', () =>
    refused(
      [
        { name: 'ok.txt', data: 'x' },
        { name: '../../escape.txt', data: 'pwned' },
      ],
      /"\.\." segment/,
    ));
  it('an absolute path, a drive letter, a backslash or a NUL cannot name where a file goes', () => {
    refused([{ name: '/etc/cron.d/evil', data: 'x' }], /absolute path/);
    refused([{ name: 'C:/Windows/evil', data: 'x' }], /drive letter/);
    refused([{ name: '..\\..\\evil', data: 'x' }], /backslash/);
    refused([{ name: 'a\u0000b', data: 'x' }], /NUL/);
  });
  it('a symlink entry cannot plant a link to a file outside the bundle', () =>
    refused([{ name: 'link', data: '/home/user/.ssh/id_rsa', mode: 0o120777 }], /symbolic link/));
  it('a zip bomb (a tiny entry that inflates enormously) is refused before it is inflated', () =>
    refused([{ name: 'bomb', data: Buffer.alloc(50 * 1024 * 1024), deflate: true }], /zip bomb/));
  it('an entry that lies about its size cannot inflate past it', () =>
    refused([{ name: 'liar', data: Buffer.alloc(100_000, 1), deflate: true, usize: 10 }], /declared size/));
  it('a duplicate name (even differing only in case) cannot smuggle a second copy of a file', () => {
    refused(
      [
        { name: 'manifest.json', data: '{}' },
        { name: 'manifest.json', data: '{"evil":1}' },
      ],
      /appears twice/,
    );
    refused(
      [
        { name: 'Manifest.json', data: '{}' },
        { name: 'manifest.json', data: '{}' },
      ],
      /appears twice/,
    );
  });
  it('a name that is both a file and a folder is refused with a clear error', () => {
    refused(
      [
        { name: 'a', data: 'x' },
        { name: 'a/b', data: 'y' },
      ],
      /both a file and a folder/,
    );
    refused(
      [
        { name: 'a/b', data: 'y' },
        { name: 'A', data: 'x' },
      ],
      /both a file and a folder/,
    );
  });
  it('an entry whose CRC-32 does not match its bytes is refused', () => refused([{ name: 'a.txt', data: 'hello', deflate: true, crc: 0x12345678 }], /CRC-32/));
  it('a ZIP64 archive is refused with a clear error, not misread', () => refused([{ name: 'a.txt', data: 'x' }], /ZIP64/, { zip64Locator: true }));
  it('an encrypted entry is refused', () => refused([{ name: 'a.txt', data: 'x', flags: 1 }], /encrypted/));
  it('too many entries or too many bytes in total are refused', () => {
    expect(() =>
      readZip(
        writeZip([
          { name: 'a', data: 'x' },
          { name: 'b', data: 'y' },
        ]),
        { maxEntries: 1, maxTotalBytes: 1e9, maxEntryBytes: 1e9, maxRatio: 200 },
      ),
    ).toThrow(/2 entries \(at most 1\)/);
    expect(() =>
      readZip(
        writeZip([
          { name: 'a', data: 'xx' },
          { name: 'b', data: 'yy' },
        ]),
        { maxEntries: 10, maxTotalBytes: 3, maxEntryBytes: 1e9, maxRatio: 200 },
      ),
    ).toThrow(/more than 3 bytes/);
  });
  it('a good bundle unpacks atomically: files 0600, executables 0700, folders 0700', () => {
    const target = dest();
    extractZip(goodBundle(), target);
    expect(statSync(join(target, 'manifest.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(target, 'bin/tool')).mode & 0o777).toBe(0o700);
    expect(statSync(join(target, 'server')).mode & 0o777).toBe(0o700);
  });
});

describe('hostile manifests', () => {
  const unpack = (server: Record<string, unknown>, userConfig?: Record<string, unknown>) => {
    const target = dest();
    extractZip(
      writeZip([
        { name: 'manifest.json', data: manifest(server, userConfig) },
        { name: 'server/index.mjs', data: '' },
      ]),
      target,
    );
    return target;
  };
  it('a command outside the bundle that is not a bare runtime name is refused', () => {
    for (const command of ['/bin/sh', 'bash', '../../bin/sh', '${__dirname}/../../bin/sh', 'curl']) {
      const dir = unpack({ type: 'binary', mcp_config: { command, args: [] } });
      expect(() => manifestToServer(readManifest(dir), dir, 'x', {})).toThrow(/neither a runtime Switchboard runs by name/);
    }
  });
  it('a command inside the bundle is run by its absolute path, from the bundle folder', () => {
    const dir = unpack({ type: 'binary', mcp_config: { command: '${__dirname}/server/index.mjs' } });
    expect(manifestToServer(readManifest(dir), dir, 'x', {})).toMatchObject({ command: join(dir, 'server/index.mjs'), cwd: dir });
  });
  it('a sensitive user_config value cannot be put on the command line', () => {
    const dir = unpack({ type: 'node', mcp_config: { command: 'node', args: ['--key=${user_config.key}'] } }, { key: { type: 'string', sensitive: true } });
    expect(() => manifestToServer(readManifest(dir), dir, 'x', { 'user_config.key': 'sk' })).toThrow(/never puts them on the command line/);
  });
  it('an answer that looks like a placeholder is not expanded again', () => {
    const dir = unpack({ type: 'node', mcp_config: { command: 'node', args: ['${user_config.a}'] } }, { a: { type: 'string' } });
    expect(manifestToServer(readManifest(dir), dir, 'x', { 'user_config.a': '${__dirname}' }).args).toEqual(['${__dirname}']);
  });
  it('an entry_point outside the bundle is refused', () => {
    const dir = unpack({ type: 'node', entry_point: '../../x.js', mcp_config: { command: 'node' } });
    expect(() => manifestToServer(readManifest(dir), dir, 'x', {})).toThrow(/entry_point points outside/);
  });
});

describe('installing an mcpb bundle from the registry', () => {
  let registry: RegistryFixture;
  let bundles: http.Server;
  let t: TestCore;
  const good = goodBundle();
  const sha = createHash('sha256').update(good).digest('hex');
  const evil = writeZip([
    { name: 'manifest.json', data: manifest(NODE_SERVER) },
    { name: '../escape.txt', data: 'pwned' },
  ]);
  const evilSha = createHash('sha256').update(evil).digest('hex');

  beforeAll(async () => {
    bundles = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(req.url === '/evil.mcpb' ? evil : good);
    });
    await new Promise<void>((resolve) => bundles.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(bundles.address() as AddressInfo).port}`;
    const entry = (name: string, file: string, fileSha256: string): FixtureEntry => ({
      server: {
        name,
        title: 'Echo bundle',
        description: 'An mcpb bundle.',
        version: '1.0.0',
        packages: [{ registryType: 'mcpb', identifier: `${base}/${file}`, version: '1.0.0', fileSha256, transport: { type: 'stdio' } }],
      },
    });
    registry = await startRegistryFixture({
      extra: [entry('io.github.example/echo-bundle', 'good.mcpb', sha), entry('io.github.evil/zipslip', 'evil.mcpb', evilSha)],
    });
    t = startTestCore();
    await t.call('setRegistrySettings', { url: registry.url });
    return async () => {
      await t.close();
      await registry.close();
      await new Promise<void>((resolve) => bundles.close(() => resolve()));
    };
  });

  it('a verified bundle whose zip escapes its folder adds nothing and writes nothing outside', async () => {
    await expect(t.call('installFromRegistry', { name: 'io.github.evil/zipslip', version: '1.0.0', option: 0, values: {} })).rejects.toThrow(/"\.\." segment/);
    expect(existsSync(join(t.dataDir, 'registry-bundles', 'escape.txt'))).toBe(false);
    expect(existsSync(join(t.dataDir, 'registry-bundles', evilSha))).toBe(false);
    expect((await t.call('listServers', {})).servers).toEqual([]);
  });

  it('downloads, verifies, unpacks; asks for missing user_config; then the server still needs launch approval and runs', async () => {
    // Before the download the plan cannot know the bundle's settings.
    expect((await t.call('registryInstallPlan', { name: 'io.github.example/echo-bundle', version: '1.0.0' })).options[0]!.variables).toEqual([]);
    await expect(t.call('installFromRegistry', { name: 'io.github.example/echo-bundle', version: '1.0.0', option: 0, values: {} })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/needs values for: API token \(user_config\.token\)/),
    });
    expect((await t.call('listServers', {})).servers).toEqual([]);
    // Now verified and unpacked, the plan lists them.
    const plan = await t.call('registryInstallPlan', { name: 'io.github.example/echo-bundle', version: '1.0.0' });
    expect(plan.options[0]!.variables).toEqual([
      expect.objectContaining({ key: 'user_config.token', secret: true, required: true }),
      expect.objectContaining({ key: 'user_config.greeting', secret: false, default: 'hello' }),
    ]);

    const { server } = await t.call('installFromRegistry', {
      name: 'io.github.example/echo-bundle',
      version: '1.0.0',
      option: 0,
      values: { 'user_config.token': 'sk-bundle-secret' },
    });
    const dir = join(t.dataDir, 'registry-bundles', sha);
    if (server.config.transport !== 'stdio') throw new Error('stdio expected');
    expect(server.config).toMatchObject({ command: 'node', args: [join(dir, 'server/index.mjs'), '--greeting', 'hello'], cwd: dir });
    expect(server.config.env).toEqual(
      expect.arrayContaining([
        { name: 'ECHO_TOKEN', secret: true, hasValue: true },
        { name: 'ECHO_HOME', secret: false, value: '${HOME}', hasValue: true },
      ]),
    );
    expect(JSON.stringify(server)).not.toContain('sk-bundle-secret');
    expect(server.trust).toMatchObject({ approved: false, spec: { command: 'node', args: server.config.args } });
    await expect(t.call('connectServer', { serverId: server.id })).rejects.toThrow(/approv/i);

    await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
    await t.call('connectServer', { serverId: server.id });
    const result = await t.call('callTool', { serverId: server.id, tool: 'echo', arguments: { message: 'from the bundle' }, callId: randomUUID() });
    expect(firstText(result)).toBe('Echo: from the bundle');
    await t.call('disconnectServer', { serverId: server.id });
  }, 30_000);
});
