import { IpcError } from '../../../shared/contract';
import type { ConfigFormat } from './paths';
import type { ExportEntry } from './types';

// Export through the gateway: instead of a server's own launch or URL, the
// client gets Switchboard's gateway endpoint for it, with the gateway client's
// token. Where the client speaks HTTP: an HTTP entry with an Authorization
// header (a reference the client resolves where it has one, plaintext only when
// confirmed). Claude Desktop runs stdio only: the bridge, with the token in `env`
// and never in `args`. The token is in hand only for a while after it was made
// (create or rotate): Switchboard stores its hash only. A client with one
// combined endpoint gets one entry, "Switchboard", for <address>/mcp.

/** The bridge's flag and variable (electron/core/gateway/bridge.ts), repeated here so the hub does not load the gateway. */
export const BRIDGE_ARGS = ['--mcp-bridge', '--server-url'] as const;
export const BRIDGE_TOKEN_ENV = 'SWITCHBOARD_GATEWAY_TOKEN';

export interface GatewayExportClient {
  name: string;
  /** http://127.0.0.1:<port> */
  address: string;
  /** False: a free port is chosen at each start, and the written entries stop working at the next one. */
  fixedPort: boolean;
  token: string;
  serverIds: string[];
  /** The client has one combined endpoint (<address>/mcp): one entry for all its servers. */
  combined?: boolean;
}

/** The name of the one entry written for a combined endpoint, and the id its plaintext confirmation key uses. */
export const COMBINED_ENTRY = 'Switchboard';
export const COMBINED_KEY_ID = 'combined';

export interface GatewayExportSource {
  /** The client as exportable now; throws a clear IpcError when not (gateway off, token no longer in hand). */
  client(clientId: string): GatewayExportClient;
  bridgeCommand: { command: string; args: string[] } | null;
}

export interface GatewaySecretKey {
  /** The server, or COMBINED_KEY_ID for the combined endpoint's entry. */
  serverId: string;
  key: string;
  note: string;
}

/** The key a user confirms to write the token in plaintext for one server's entry. */
export const gatewayKey = (serverId: string, format: ConfigFormat): string =>
  format === 'claude-desktop' ? `gateway:${serverId}:env:${BRIDGE_TOKEN_ENV}` : `gateway:${serverId}:headers:Authorization`;

export function gatewayEntries(
  source: GatewayExportSource,
  clientId: string,
  serverIds: string[],
  format: ConfigFormat,
  names: (serverId: string) => string,
  confirmed: Set<string>,
): { entries: ExportEntry[]; keys: Map<string, GatewaySecretKey>; plaintext: string[]; warnings: { name: string; reason: string }[] } {
  const client = source.client(clientId);
  const entries: ExportEntry[] = [];
  const keys = new Map<string, GatewaySecretKey>();
  const plaintext: string[] = [];
  const warnings: { name: string; reason: string }[] = [];
  if (!client.fixedPort)
    warnings.push({
      name: client.name,
      reason: `The gateway listens on a free port chosen at each start (${client.address} now): these entries stop working when Switchboard restarts. Set a fixed port in the Gateway view, then write again.`,
    });
  const add = (serverId: string, name: string, url: string) => {
    const key = gatewayKey(serverId, format);
    const yes = confirmed.has(key);
    if (format === 'claude-desktop') {
      if (!source.bridgeCommand)
        throw new IpcError('VALIDATION', 'This copy of Switchboard cannot name its own executable for the bridge; Claude Desktop cannot be written here.');
      if (yes) plaintext.push(client.token);
      entries.push({
        name,
        transport: 'stdio',
        command: source.bridgeCommand.command,
        args: [...source.bridgeCommand.args, ...BRIDGE_ARGS, url],
        env: [{ name: BRIDGE_TOKEN_ENV, value: yes ? client.token : '', secret: true, ...(yes ? { plaintextConfirmed: true } : {}) }],
      });
      keys.set(name, {
        serverId,
        key,
        note: `${name} reaches Switchboard through the bridge (Switchboard's own executable); Claude Desktop takes the gateway token for ${client.name} only written in plaintext in the "env" block of this file.`,
      });
    } else {
      if (yes) plaintext.push(client.token);
      entries.push({
        name,
        transport: 'http',
        url,
        mode: 'streamable-http',
        headers: [
          { name: 'Authorization', value: yes ? `Bearer ${client.token}` : '', prefix: 'Bearer ', secret: true, ...(yes ? { plaintextConfirmed: true } : {}) },
        ],
      });
      keys.set(name, { serverId, key, note: `the gateway token for ${client.name}; this client can only take it written in plaintext in this file.` });
    }
  };
  for (const serverId of [...new Set(serverIds)])
    if (!client.serverIds.includes(serverId))
      throw new IpcError('VALIDATION', `${client.name} may not use ${names(serverId)}: allow it in the Gateway view first.`);
  // A combined endpoint: one entry, whatever servers were picked (all of them are behind it).
  if (client.combined) add(COMBINED_KEY_ID, COMBINED_ENTRY, `${client.address}/mcp`);
  else for (const serverId of [...new Set(serverIds)]) add(serverId, names(serverId), `${client.address}/s/${encodeURIComponent(serverId)}/mcp`);
  return { entries, keys, plaintext, warnings };
}
