import { z } from 'zod';
import { method, event } from './define';

// Server configuration, status and the stdio lifecycle.

export const ServerId = z.string().min(1).max(64);

/** An env var or header value. Secret values live in the vault and never come back to the renderer. */
export const SecretableInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(256),
  /** Omitted for an existing secret: keep the stored value. */
  value: z
    .string()
    .max(64 * 1024)
    .optional(),
  secret: z.boolean().default(false),
});
export type SecretableInput = z.infer<typeof SecretableInput>;

export const SecretableView = z.object({
  name: z.string(),
  secret: z.boolean(),
  /** Present only for non-secret values. */
  value: z.string().optional(),
  /** For secret values: whether a value is stored. */
  hasValue: z.boolean(),
});
export type SecretableView = z.infer<typeof SecretableView>;

/**
 * Which MCP protocol era to speak. 'auto': ask with server/discover (2026-07-28),
 * fall back to the 2025 initialize handshake; 'modern': 2026-07-28 only; 'legacy': 2025 initialize only.
 */
export const ProtocolSetting = z.enum(['auto', 'modern', 'legacy']);
export type ProtocolSetting = z.infer<typeof ProtocolSetting>;

export const StdioServerInput = z.object({
  transport: z.literal('stdio'),
  name: z.string().trim().max(100),
  command: z.string().trim().max(4096),
  /** An argv array: never joined into a shell string. */
  args: z
    .array(z.string().max(32 * 1024))
    .max(256)
    .default([]),
  cwd: z.string().trim().max(4096).optional(),
  env: z.array(SecretableInput).max(256).default([]),
  enabled: z.boolean().default(true),
  connectTimeoutSec: z.number().int().min(1).max(600).optional(),
  protocol: ProtocolSetting.default('auto'),
});
export type StdioServerInput = z.input<typeof StdioServerInput>;
export type StdioServerConfig = z.output<typeof StdioServerInput>;

/**
 * How Switchboard signs in to a remote server: a person in the browser (authorization_code), the client
 * as itself (client_credentials, SEP-1046), the workload's platform JWT (workload_identity: RFC 7523
 * jwt-bearer, SEP-1933), or the user's enterprise IdP (enterprise: SEP-990 ID token -> ID-JAG -> jwt-bearer).
 */
export const OAuthGrantType = z.enum(['authorization_code', 'client_credentials', 'workload_identity', 'enterprise']);
export type OAuthGrantType = z.infer<typeof OAuthGrantType>;

/** Where a workload's JWT comes from: a file the platform keeps current, an environment variable, or a pasted token (vault). */
export const WorkloadTokenSource = z.enum(['file', 'env', 'stored']);

export const WorkloadTokenInput = z.object({
  source: WorkloadTokenSource,
  /** source 'file': absolute path, read at every sign-in and renewal (e.g. a projected service-account token). */
  path: z.string().trim().max(4096).optional(),
  /** source 'env': variable holding the JWT, or the absolute path of a file holding it. */
  envVar: z.string().trim().max(128).optional(),
  /** source 'stored': the pasted JWT, write-only (kept in the vault); omitted to keep the stored one. */
  value: z
    .string()
    .max(64 * 1024)
    .optional(),
});

export const EnterpriseIdpInput = z.object({
  /** The enterprise IdP's issuer: its OpenID configuration gives the sign-in page and token endpoint. */
  idpIssuer: z.string().trim().max(2048),
  /** Optional override of the token endpoint used for the token exchange. */
  idpTokenEndpoint: z.string().trim().max(2048).optional(),
  /** Switchboard's client id at the IdP. */
  idpClientId: z.string().trim().min(1).max(2048),
  /** Write-only (vault); omitted to keep the stored secret, empty string to clear. */
  idpClientSecret: z.string().max(4096).optional(),
});

export const OAuthClientInput = z.object({
  clientId: z.string().trim().min(1).max(2048),
  /** Omitted on update to keep the stored secret; empty string to clear. */
  clientSecret: z.string().max(4096).optional(),
  scopes: z.string().max(4096).optional(),
  /** authorization_code: a person signs in in the browser. client_credentials: the client signs in as itself (needs a secret or key). */
  grantType: OAuthGrantType.default('authorization_code'),
  /** PKCS#8 PEM private key for private_key_jwt client authentication. Write-only like the secret; empty string to clear. */
  privateKeyPem: z
    .string()
    .max(16 * 1024)
    .optional(),
  /** grantType 'workload_identity': where the workload's JWT comes from. */
  workloadToken: WorkloadTokenInput.optional(),
  /** grantType 'enterprise': the enterprise identity provider. */
  enterprise: EnterpriseIdpInput.optional(),
});

export const HttpServerInput = z.object({
  transport: z.literal('http'),
  name: z.string().trim().max(100),
  url: z.string().trim().max(8192),
  /** 'auto' = Streamable HTTP, falling back to legacy HTTP+SSE only on 400/404/405. */
  mode: z.enum(['auto', 'streamable-http', 'sse']).default('auto'),
  headers: z.array(SecretableInput).max(64).default([]),
  oauthClient: OAuthClientInput.optional(),
  /** Omit the RFC 8707 `resource` parameter (Microsoft Entra rejects it). */
  omitResourceParameter: z.boolean().default(false),
  /** An https URL (with a path) of a Client ID Metadata Document describing this client, used where the AS supports CIMD. */
  clientMetadataUrl: z.string().trim().max(2048).optional(),
  enabled: z.boolean().default(true),
  connectTimeoutSec: z.number().int().min(1).max(600).optional(),
  protocol: ProtocolSetting.default('auto'),
});
export type HttpServerInput = z.input<typeof HttpServerInput>;
export type HttpServerConfig = z.output<typeof HttpServerInput>;

export const ServerInput = z.discriminatedUnion('transport', [StdioServerInput, HttpServerInput]);
export type ServerInput = z.input<typeof ServerInput>;

export const StdioConfigView = z.object({
  transport: z.literal('stdio'),
  command: z.string(),
  args: z.array(z.string()),
  cwd: z.string().optional(),
  env: z.array(SecretableView),
  connectTimeoutSec: z.number().optional(),
  /** Absent means Automatic. */
  protocol: ProtocolSetting.optional(),
});

export const WorkloadTokenView = z.object({
  source: WorkloadTokenSource,
  path: z.string().optional(),
  envVar: z.string().optional(),
  /** source 'stored': whether a token is in the vault. */
  hasValue: z.boolean(),
});

export const EnterpriseIdpView = z.object({
  idpIssuer: z.string(),
  idpTokenEndpoint: z.string().optional(),
  idpClientId: z.string(),
  hasIdpClientSecret: z.boolean(),
});

export const HttpConfigView = z.object({
  transport: z.literal('http'),
  url: z.string(),
  mode: z.enum(['auto', 'streamable-http', 'sse']),
  headers: z.array(SecretableView),
  oauthClient: z
    .object({
      clientId: z.string(),
      hasClientSecret: z.boolean(),
      hasPrivateKey: z.boolean(),
      scopes: z.string().optional(),
      grantType: OAuthGrantType,
      workloadToken: WorkloadTokenView.optional(),
      enterprise: EnterpriseIdpView.optional(),
    })
    .optional(),
  omitResourceParameter: z.boolean(),
  clientMetadataUrl: z.string().optional(),
  connectTimeoutSec: z.number().optional(),
  /** Absent means Automatic. */
  protocol: ProtocolSetting.optional(),
});

export const ServerState = z.enum(['stopped', 'starting', 'connected', 'error', 'crashed']);
export type ServerState = z.infer<typeof ServerState>;

export const ServerStatus = z.object({
  state: ServerState,
  /** Human-readable why: the error, the exit, or what we are waiting for. */
  reason: z.string().optional(),
  since: z.number(),
  exitCode: z.number().nullable().optional(),
  signal: z.string().nullable().optional(),
  /** The last stderr lines when the process failed or exited. */
  lastStderr: z.array(z.string()).optional(),
  restart: z
    .object({
      attempt: z.number().int(),
      max: z.number().int(),
      /** Epoch ms of the next attempt; absent once we gave up. */
      nextAt: z.number().optional(),
      gaveUp: z.boolean(),
    })
    .optional(),
  /** The last stdout line that was not JSON-RPC, quoted. */
  protocolError: z.string().optional(),
  /** Set on remote servers that need the user to sign in. */
  authRequired: z.boolean().optional(),
  /** While starting: the connect timeout, after which Switchboard stops the server. */
  timeoutSec: z.number().optional(),
  /**
   * Why a start failed, when known: the server wrote to stdout before initialize (it must log to stderr),
   * Switchboard stopped it at the connect timeout, or it exited on its own before initialize.
   */
  failure: z.enum(['stdout-before-initialize', 'timed-out', 'exited-before-initialize']).optional(),
});
export type ServerStatus = z.infer<typeof ServerStatus>;

export const ServerInfo = z.object({
  name: z.string(),
  version: z.string(),
  title: z.string().optional(),
  protocolVersion: z.string(),
  /** 'modern' (2026-07-28, server/discover) or 'legacy' (2025 initialize). */
  era: z.enum(['modern', 'legacy']).optional(),
  /** Why this revision: what discovery found, or the server's setting. */
  eraReason: z.string().optional(),
  capabilities: z.record(z.string(), z.unknown()),
  instructions: z.string().optional(),
  /** 'streamable-http' or 'sse' for remote servers. */
  transport: z.string().optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

export const LaunchSpec = z.object({
  command: z.string(),
  /** The absolute path the command resolved to on the login-shell PATH, or null when not found. */
  resolvedCommand: z.string().nullable(),
  args: z.array(z.string()),
  cwd: z.string().nullable(),
  /** The folder it runs in: cwd, or the home folder when none is set. */
  workingDirectory: z.string().optional(),
  /** Every variable with its value; null for a secret (its value stays in the vault). */
  env: z.array(z.object({ name: z.string(), value: z.string().nullable() })),
});
export type LaunchSpec = z.infer<typeof LaunchSpec>;

/** One difference between the last approved launch spec and the current one. `before`/`after` null: absent. */
export const LaunchChange = z.object({
  field: z.enum(['command', 'args', 'cwd', 'env']),
  /** For args: the position. */
  index: z.number().int().optional(),
  /** For env: the variable. */
  name: z.string().optional(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type LaunchChange = z.infer<typeof LaunchChange>;

export const TrustView = z.object({
  approved: z.boolean(),
  /** SHA-256 of the canonical launch spec; the renderer echoes it so a spec changed meanwhile is refused. */
  specHash: z.string(),
  spec: LaunchSpec,
  /** True when an earlier approval exists for a different spec (the config changed). */
  changedSinceApproval: z.boolean(),
  /** What changed since the last approval (from the approval kept in the vault, so a forged file cannot hide a change). */
  changes: z.array(LaunchChange).default([]),
  /** Why the user is asked again when it is not a plain change (an old-format approval, one that cannot be verified). */
  note: z.string().optional(),
  /** The approval is kept in memory only (no secure storage): it lasts for this session. */
  sessionOnly: z.boolean().optional(),
});
export type TrustView = z.infer<typeof TrustView>;

export const ServerView = z.object({
  id: ServerId,
  name: z.string(),
  enabled: z.boolean(),
  config: z.discriminatedUnion('transport', [StdioConfigView, HttpConfigView]),
  status: ServerStatus,
  info: ServerInfo.optional(),
  trust: TrustView.optional(),
});
export type ServerView = z.infer<typeof ServerView>;

export const LogLine = z.object({
  seq: z.number().int(),
  ts: z.number(),
  stream: z.enum(['stderr', 'protocol', 'system']),
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export const ToolAnnotations = z
  .object({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .catchall(z.unknown());

export const ToolView = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  annotations: ToolAnnotations.optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  /** execution.taskSupport: whether a call may (optional) or must (required) run as a task. */
  taskSupport: z.enum(['forbidden', 'optional', 'required']).optional(),
  /**
   * MCP Apps (`_meta.ui`): the ui:// resource the tool renders after a call, and who sees the tool
   * ('model': the model's list, 'app': callable from the server's own app). Absent: an ordinary tool.
   */
  ui: z.object({ resourceUri: z.string().max(2048).optional(), visibility: z.array(z.enum(['model', 'app'])) }).optional(),
});
export type ToolView = z.infer<typeof ToolView>;

const ById = z.object({ serverId: ServerId });
const OneServer = z.object({ server: ServerView });

export const serversMethods = {
  /** `invalid`: entries in the settings file that do not validate (a hand edit); kept in the file, listed here. */
  listServers: method(
    z.object({}),
    z.object({ servers: z.array(ServerView), invalid: z.array(z.object({ index: z.number().int(), name: z.string().optional(), reason: z.string() })) }),
  ),
  addServer: method(z.object({ config: ServerInput }), OneServer),
  updateServer: method(z.object({ serverId: ServerId, config: ServerInput }), OneServer),
  removeServer: method(ById, z.object({ removed: z.literal(true) })),
  /** The renderer echoes the hash it showed; a spec that changed since is refused. */
  approveLaunch: method(z.object({ serverId: ServerId, specHash: z.string().length(64) }), OneServer),
  connectServer: method(ById, OneServer),
  disconnectServer: method(ById, OneServer),
  getServerLog: method(ById, z.object({ lines: z.array(LogLine) })),
  listTools: method(ById, z.object({ tools: z.array(ToolView) })),
};

export const serversEvents = {
  serverChanged: event(z.object({ server: ServerView })),
  serverRemoved: event(z.object({ serverId: ServerId })),
  serverLog: event(z.object({ serverId: ServerId, lines: z.array(LogLine) })),
};
