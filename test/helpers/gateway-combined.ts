import { join } from 'node:path';
import type { GatewayServerAccess } from '../../shared/contract';
import type { CoreOptions } from '../../electron/core/app-core';
import { startTestCore, type TestCore } from './core';

// A core with the gateway on, several stdio upstreams (test/fixtures/servers/named-tools.mjs,
// each named by its env) and one client with the combined endpoint (/mcp) on.

export const NAMED_TOOLS = join(import.meta.dirname, '../fixtures/servers/named-tools.mjs');

export interface UpstreamSpec {
  name: string;
  /** LABEL, TOOLS, DESTRUCTIVE, RESOURCES, TEMPLATES, PROMPTS (comma-separated). */
  env: Record<string, string>;
  access?: Partial<Omit<GatewayServerAccess, 'serverId'>>;
}

export interface CombinedSetup {
  t: TestCore;
  /** Server ids in the order given. */
  ids: string[];
  address: string;
  /** <address>/mcp */
  url: URL;
  clientId: string;
  token: string;
}

export async function addNamedServer(t: TestCore, spec: UpstreamSpec): Promise<string> {
  const { server } = await t.call('addServer', {
    config: {
      transport: 'stdio',
      name: spec.name,
      command: process.execPath,
      args: [NAMED_TOOLS],
      env: Object.entries(spec.env).map(([name, value]) => ({ name, value, secret: false })),
    },
  });
  await t.call('approveLaunch', { serverId: server.id, specHash: server.trust!.specHash });
  await connect(t, server.id);
  return server.id;
}

export async function connect(t: TestCore, serverId: string): Promise<void> {
  await t.call('connectServer', { serverId });
  await t.waitForEvent('serverChanged', (p) => p.server.id === serverId && p.server.status.state === 'connected');
}

export async function startCombined(
  specs: UpstreamSpec[],
  options: CoreOptions & { dataDir?: string; env?: NodeJS.ProcessEnv; combined?: boolean } = {},
): Promise<CombinedSetup> {
  const t = startTestCore(options);
  const ids: string[] = [];
  for (const spec of specs) ids.push(await addNamedServer(t, spec));
  const view = await t.call('setGatewayEnabled', { enabled: true });
  if (!view.address) throw new Error(`gateway did not start: ${view.error}`);
  const { client, token } = await t.call('createGatewayClient', {
    name: 'Combined Client',
    servers: specs.map((spec, i) => ({ serverId: ids[i]!, allow: [], deny: [], hideDestructive: false, ...spec.access })),
    combined: options.combined ?? true,
  });
  return { t, ids, address: view.address, url: new URL(`${view.address}/mcp`), clientId: client.id, token };
}
