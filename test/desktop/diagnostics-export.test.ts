import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { vaultKey } from '../../electron/core/vault';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore, waitFor, type TestCore } from '../helpers/core';

// "Export diagnostics" end to end: a real core on a real data dir, secrets
// planted everywhere Switchboard keeps or sees them, the zip written through the
// save-dialog port, unzipped, and searched for every planted value.

const ECHO = join(import.meta.dirname, '../fixtures/servers/echo-secret.mjs');
const track = useCleanup();

const VAULT_ENV_SECRET = 'vaultEnvSecret-7Hq2xLp9Zr4Kt';
const HEADER_SECRET = 'hdrSecret-Rw8Nz3Qc5Vb1Jm';
const URL_TOKEN = 'urlTok9Lm2Xq7Pz4Wn6';
const NOT_MARKED_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const ACCESS_TOKEN = 'accTok-Zp7Qm2Xv9Lk4Rt8Wn3';
const REFRESH_TOKEN = 'refTok-Hb5Jc8Nd2Gf6Ks9Pq1';
const CLIENT_SECRET = 'clientSecret-Ua3Ye6Io9Tr2';

async function addEcho(t: TestCore, name: string, envName: string, value: string, secret: boolean): Promise<string> {
  const { server } = await t.call('addServer', {
    config: { transport: 'stdio', name, command: process.execPath, args: [ECHO, envName], env: [{ name: envName, value, secret }] },
  });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await t.call('connectServer', { serverId: server.id });
  await t.waitForEvent('serverChanged', (p) => p.server.id === server.id && p.server.status.state === 'connected');
  return server.id;
}

describe('export diagnostics', () => {
  it('writes a zip of settings, logs and versions in which no planted secret appears', async () => {
    const dir = track.tempDir('switchboard-diag-');
    const zipPath = join(dir, 'out.zip');
    const asked: string[] = [];
    const t = track(
      startTestCore({
        watchClientConfigs: false,
        appVersion: '9.8.7',
        desktop: { chooseSavePath: async (name) => (asked.push(name), zipPath) },
      }),
    );

    // A secret env value (vault), printed to stderr by the server.
    const vaultEnv = await addEcho(t, 'Vault env', 'ECHO_SECRET', VAULT_ENV_SECRET, true);
    // A token the user did not mark secret, under a secret-looking name, also printed to stderr.
    await addEcho(t, 'Unmarked', 'GITHUB_TOKEN', NOT_MARKED_TOKEN, false);
    // The gateway's bearer token, pasted as a plain variable (its hash is in the vault).
    const { token: gatewayToken } = await t.call('createGatewayClient', { name: 'Cursor', servers: [] });
    await addEcho(t, 'Gateway token', 'SB_GATEWAY', gatewayToken, false);
    // A remote server: a secret Authorization header (vault), a token in its URL.
    await t.call('addServer', {
      config: {
        transport: 'http',
        name: 'Remote',
        url: `https://mcp.example.com/mcp?api_key=${URL_TOKEN}`,
        headers: [{ name: 'Authorization', value: `Bearer ${HEADER_SECRET}`, secret: true }],
        oauthClient: { clientId: 'my-client', clientSecret: CLIENT_SECRET },
      },
    });
    // An OAuth token set, as the grant store keeps it.
    await t.core.vault.put(
      vaultKey.authGrant({ serverId: 'remote-x', issuer: 'https://as.example.com', resource: 'https://mcp.example.com/mcp' }),
      JSON.stringify({ access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN, token_type: 'Bearer' }),
    );
    await waitFor(() => t.core.servers.getLog(vaultEnv).some((l) => l.text.includes('echo-secret starting')), 10_000, 'stderr');
    // The settings file on disk really holds what we planted (else the test proves nothing).
    const settingsText = readFileSync(join(t.dataDir, 'settings.json'), 'utf8');
    expect(settingsText).toContain(NOT_MARKED_TOKEN);
    expect(settingsText).toContain(URL_TOKEN);
    expect(settingsText).toContain(gatewayToken);

    const result = await t.call('exportDiagnostics', {});
    expect(result).toMatchObject({ saved: true, path: zipPath });
    expect(asked[0]).toMatch(/^switchboard-diagnostics-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.zip$/);
    if (process.platform !== 'win32') expect(statSync(zipPath).mode & 0o777).toBe(0o600);

    const files = Object.fromEntries(Object.entries(unzipSync(readFileSync(zipPath))).map(([name, bytes]) => [name, strFromU8(bytes)]));
    expect(Object.keys(files).sort()).toEqual(
      [
        'README.txt',
        'environment.json',
        'logs/Gateway_token.log',
        'logs/Unmarked.log',
        'logs/Vault_env.log',
        'logs/Remote.log',
        'logs/internal-errors.log',
        'servers.json',
        'settings.json',
      ]
        .map((f) => `switchboard-diagnostics/${f}`)
        .sort(),
    );
    expect(result.files).toHaveLength(9);
    const all = Object.values(files).join('\n');
    if (process.env.DUMP_DIAG) console.log(all);
    for (const secret of [VAULT_ENV_SECRET, HEADER_SECRET, URL_TOKEN, NOT_MARKED_TOKEN, gatewayToken, ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET])
      expect(all, `planted secret ${secret.slice(0, 8)}… leaked`).not.toContain(secret);
    // No environment variables, no ciphertext.
    expect(all).not.toContain(process.env.PATH!);
    expect(all).not.toMatch(/"ciphertext": "(?!\[redacted\])/);

    // And it is still useful: versions, servers, their logs with the value cut out.
    const env = JSON.parse(files['switchboard-diagnostics/environment.json']!) as Record<string, unknown>;
    expect(env).toMatchObject({ app: 'Switchboard', version: '9.8.7', platform: process.platform });
    expect(files['switchboard-diagnostics/logs/Vault_env.log']).toMatch(/echo-secret starting; ECHO_SECRET=\[redacted\]/);
    expect(files['switchboard-diagnostics/logs/Unmarked.log']).toMatch(/GITHUB_TOKEN=\[redacted\]/);
    const settings = JSON.parse(files['switchboard-diagnostics/settings.json']!) as { servers: { name: string; url?: string }[] };
    expect(settings.servers.map((s) => s.name).sort()).toEqual(['Gateway token', 'Remote', 'Unmarked', 'Vault env']);
    expect(settings.servers.find((s) => s.name === 'Remote')!.url).toBe('https://mcp.example.com/mcp?api_key=[redacted]');
  });

  it('the user cancelling the save dialog writes nothing; without the port it reports unavailable', async () => {
    const dir = track.tempDir('switchboard-diag-');
    const t = track(startTestCore({ watchClientConfigs: false, desktop: { chooseSavePath: async () => undefined } }));
    expect(await t.call('exportDiagnostics', {})).toEqual({ saved: false, files: [] });
    writeFileSync(join(dir, 'marker'), '');
    const bare = track(startTestCore({ watchClientConfigs: false }));
    expect(await bare.call('getDesktopSettings', {})).toMatchObject({ diagnosticsAvailable: false, dataFolderAvailable: false });
    expect(await bare.call('exportDiagnostics', {})).toEqual({ saved: false, files: [] });
  });
});
