import { z } from 'zod';
import { event, method } from './define';
import { Ok } from './json';
import { ServerId } from './servers';

// The local gateway: other MCP clients on this desktop reach the servers
// Switchboard manages through 127.0.0.1, each with its own token and filters.

export const GatewayClientId = z.string().min(1).max(64);
const ToolName = z.string().min(1).max(1000);

/** What one client may do with one server: allow list (empty: all), deny list, and whether tools marked destructive are hidden. */
export const GatewayServerAccess = z.object({
  serverId: ServerId,
  allow: z.array(ToolName).max(1000).default([]),
  deny: z.array(ToolName).max(1000).default([]),
  hideDestructive: z.boolean().default(false),
});
export type GatewayServerAccess = z.output<typeof GatewayServerAccess>;

export const GatewayClientName = z.string().trim().min(1).max(100);

export const GatewayCallView = z.object({
  serverId: z.string(),
  tool: z.string(),
  at: z.number(),
  status: z.string(),
});

export const GatewayClientView = z.object({
  id: GatewayClientId,
  name: z.string(),
  createdAt: z.number(),
  servers: z.array(GatewayServerAccess),
  /** Requests and streams open right now. */
  connections: z.number().int(),
  /** 2025-era sessions open right now (each ends on close, revoke, rotation, an access change, or when idle). */
  sessions: z.number().int().default(0),
  /** 2026-07-28 calls parked until this client answers a server's question (an input-required round). */
  waiting: z.number().int().default(0),
  lastCall: GatewayCallView.optional(),
  /** Also serves one combined endpoint, <address>/mcp, with every server's tools as <prefix>__<tool>. */
  combined: z.boolean().optional(),
  /** With `combined`: each server's prefix on the combined endpoint (stable; derived from the server's name). */
  prefixes: z.array(z.object({ serverId: z.string(), prefix: z.string() })).optional(),
  /** The token could not be read back from secure storage (sign-ins kept in memory only): rotate to use the client again. */
  tokenMissing: z.boolean().optional(),
});
export type GatewayClientView = z.infer<typeof GatewayClientView>;

export const GatewayFailedAttempt = z.object({
  at: z.number(),
  /** The remote address (always loopback: the gateway binds 127.0.0.1 only). */
  remote: z.string(),
  reason: z.string(),
});
export type GatewayFailedAttempt = z.infer<typeof GatewayFailedAttempt>;

export const GatewayView = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  /** http://127.0.0.1:<port> while running. */
  address: z.string().optional(),
  /** The fixed port from settings; absent: a free port is chosen at each start. */
  port: z.number().int().optional(),
  error: z.string().optional(),
  clients: z.array(GatewayClientView),
  failedAttempts: z.array(GatewayFailedAttempt),
});
export type GatewayView = z.infer<typeof GatewayView>;

/** A token is shown once: at creation and at rotation. */
export const GatewayTokenResponse = z.object({ client: GatewayClientView, token: z.string() });

export const gatewayMethods = {
  getGateway: method(z.object({}), GatewayView),
  setGatewayEnabled: method(z.object({ enabled: z.boolean(), port: z.number().int().min(1024).max(65535).nullable().optional() }), GatewayView),
  createGatewayClient: method(
    z.object({ name: GatewayClientName, servers: z.array(GatewayServerAccess).max(500), combined: z.boolean().optional() }),
    GatewayTokenResponse,
  ),
  updateGatewayClient: method(
    z.object({
      id: GatewayClientId,
      name: GatewayClientName.optional(),
      servers: z.array(GatewayServerAccess).max(500).optional(),
      combined: z.boolean().optional(),
    }),
    z.object({ client: GatewayClientView }),
  ),
  rotateGatewayToken: method(z.object({ id: GatewayClientId }), GatewayTokenResponse),
  revokeGatewayClient: method(z.object({ id: GatewayClientId }), Ok),
};

export const gatewayEvents = {
  /** Anything on the Gateway view changed (throttled for connection counts). */
  gatewayChanged: event(GatewayView),
};
