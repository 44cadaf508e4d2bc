import { z } from 'zod';
import { event, method } from './define';
import { ServerId, ServerView } from './servers';

// The desktop hub: importing servers from other MCP clients' config files and
// writing Switchboard's servers into them. Paths sent back by the renderer are
// only accepted when they are one of the locations the core itself computed.
// Secret values (read from a file, typed by the user, or kept in the vault)
// and VS Code input answers never come back to the renderer.

export const McpClientId = z.enum(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf']);
export type McpClientId = z.infer<typeof McpClientId>;

export const ConfigFormat = z.enum(['claude-desktop', 'claude-code-user', 'claude-code-project', 'cursor', 'vscode-mcp', 'vscode-settings', 'windsurf']);

const ProjectFolders = z.array(z.string().min(1).max(4096)).max(32).default([]);

export const ConfigProblem = z.object({
  severity: z.enum(['error', 'warning']),
  reason: z.string(),
  server: z.string().optional(),
  /** 1-based. */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type ConfigProblem = z.infer<typeof ConfigProblem>;

/** A VS Code `inputs` declaration: asked once per file, wherever `${input:id}` appears. */
export const ConfigInput = z.object({
  id: z.string(),
  type: z.string(),
  description: z.string().optional(),
  password: z.boolean(),
  /** Left out for password inputs. */
  default: z.string().optional(),
  options: z.array(z.string()).optional(),
});
export type ConfigInput = z.infer<typeof ConfigInput>;

/** An env var or header of what the server becomes. `value` only when it does not look secret. */
export const CandidateValue = z.object({
  name: z.string(),
  /** Suggested: the value looks like a secret (or comes from a password input). */
  secret: z.boolean(),
  value: z.string().optional(),
  /** A variable could not be resolved here: the user types the value (kept as a secret). */
  needsValue: z.boolean(),
});
export type CandidateValue = z.infer<typeof CandidateValue>;

export const CandidateBecomes = z.discriminatedUnion('transport', [
  z.object({ transport: z.literal('stdio'), command: z.string(), args: z.array(z.string()), cwd: z.string().optional(), env: z.array(CandidateValue) }),
  z.object({ transport: z.literal('http'), url: z.string(), mode: z.enum(['auto', 'streamable-http', 'sse']), headers: z.array(CandidateValue) }),
]);
export type CandidateBecomes = z.infer<typeof CandidateBecomes>;

export const ImportCandidateView = z.object({
  name: z.string(),
  scope: z.enum(['user', 'local', 'project', 'workspace']),
  project: z.string().optional(),
  /** What it becomes in Switchboard, when importable (input answers not applied). */
  becomes: CandidateBecomes.optional(),
  /** Why it cannot be imported as it stands (unresolved inputs are listed in needsInputs instead). */
  skipped: z.string().optional(),
  duplicateOf: z.object({ id: z.string(), name: z.string() }).optional(),
  /** Another server already has this name: import under a different one. */
  nameTaken: z.boolean(),
  /** VS Code input ids this server needs. */
  needsInputs: z.array(z.string()),
  problems: z.array(ConfigProblem),
  line: z.number().int().optional(),
});
export type ImportCandidateView = z.infer<typeof ImportCandidateView>;

export const ConfigFileView = z.object({
  client: McpClientId,
  scope: z.enum(['user', 'local', 'project', 'workspace']),
  format: ConfigFormat,
  path: z.string(),
  folder: z.string().optional(),
  /** Present but unreadable (too large, not a file, no permission). */
  unreadable: z.string().optional(),
  problems: z.array(ConfigProblem),
  inputs: z.array(ConfigInput),
  candidates: z.array(ImportCandidateView),
});
export type ConfigFileView = z.infer<typeof ConfigFileView>;

/** A place Switchboard can write to, whether or not the file exists yet. */
export const ExportTarget = z.object({
  client: McpClientId,
  scope: z.enum(['user', 'local', 'project', 'workspace']),
  format: ConfigFormat,
  path: z.string(),
  exists: z.boolean(),
});
export type ExportTarget = z.infer<typeof ExportTarget>;

/** "env:NAME" or "headers:NAME". */
export const ValueKey = z.string().regex(/^(env|headers):.{1,256}$/s);

export const ImportSelection = z.object({
  path: z.string().min(1).max(4096),
  name: z.string().min(1).max(256),
  rename: z.string().trim().min(1).max(100).optional(),
  /** Per ValueKey: keep it in the vault (true) or as plain config (false). Unlisted: the suggestion. */
  secrets: z.record(ValueKey, z.boolean()).default({}),
  /** Values the user typed for variables that could not be resolved, per ValueKey. */
  values: z.record(ValueKey, z.string().max(64 * 1024)).default({}),
  /** Answers to the file's VS Code inputs, by id. */
  inputs: z.record(z.string().max(256), z.string().max(64 * 1024)).default({}),
});
export type ImportSelection = z.input<typeof ImportSelection>;

/** A server chosen from a pasted config: as ImportSelection, without a file. */
export const PastedSelection = ImportSelection.omit({ path: true });

/** What a pasted config holds, read like a client's file. `shape`: which layout was recognised. */
export const PastedConfigView = z.object({
  shape: z.enum(['mcpServers', 'vscode', 'single', 'unknown']),
  problems: z.array(ConfigProblem),
  inputs: z.array(ConfigInput),
  candidates: z.array(ImportCandidateView),
});
export type PastedConfigView = z.infer<typeof PastedConfigView>;

const PastedText = z
  .string()
  .min(1)
  .max(256 * 1024);

export const ImportResult = z.object({
  path: z.string(),
  name: z.string(),
  server: ServerView.optional(),
  error: z.string().optional(),
});

const ExportRequest = z.object({
  path: z.string().min(1).max(4096),
  projectFolders: ProjectFolders,
  serverIds: z.array(ServerId).min(1).max(500),
  /** "<serverId>:env:NAME" / "<serverId>:headers:NAME": secrets the user agreed to write in plaintext (clients with no indirection). */
  plaintextConfirmed: z.array(z.string().max(400)).max(1000).default([]),
  /** Write the servers as this gateway client reaches them: its endpoint, its token (while the token is in hand after create or rotate). */
  gatewayClientId: z.string().min(1).max(64).optional(),
});

export const DiffLineView = z.object({ op: z.enum([' ', '-', '+']), text: z.string(), line: z.number().int() });

/** A secret value that has to be written in plaintext unless the user confirms; or written as a reference the user must provide. */
export const ExportValueNote = z.object({ serverId: z.string(), server: z.string(), key: z.string(), note: z.string() });

/** One difference between a client file and what Switchboard last saw of it. Never an env or header value. */
export const ClientConfigChangeItem = z.object({
  kind: z.enum(['added', 'removed', 'changed']),
  server: z.string(),
  /** "gained server X", "lost server X", "server X: its command changed from A to B". */
  text: z.string(),
});
export type ClientConfigChangeItem = z.infer<typeof ClientConfigChangeItem>;

/** A client config file that changed since Switchboard last accepted it. `changes` empty: nothing pending any more. */
export const ClientConfigChange = z.object({ path: z.string(), client: McpClientId, changes: z.array(ClientConfigChangeItem).max(1000) });
export type ClientConfigChange = z.infer<typeof ClientConfigChange>;

export const clientConfigsEvents = {
  /** A watched client file changed behind the user's back (or its pending change went away). */
  clientConfigChanged: event(ClientConfigChange),
};

export const clientConfigsMethods = {
  /** The changes not yet imported or ignored (for a window that opens later). */
  listClientConfigChanges: method(z.object({}), z.object({ changes: z.array(ClientConfigChange) })),
  /** Ignore (or done importing): the file as last seen becomes what later changes are compared with. */
  acknowledgeClientConfigChange: method(z.object({ path: z.string().min(1).max(4096) }), z.object({ changes: z.array(ClientConfigChange) })),
  /** Every client config file found in the home (and the project folders given), each read and parsed; plus where an export could go. */
  scanClientConfigs: method(
    z.object({ projectFolders: ProjectFolders }),
    z.object({ home: z.string().optional(), files: z.array(ConfigFileView), targets: z.array(ExportTarget) }),
  ),
  /** Adds the chosen servers through the servers feature: stdio ones still need launch approval. */
  importServers: method(
    z.object({ projectFolders: ProjectFolders, selections: z.array(ImportSelection).min(1).max(500) }),
    z.object({ results: z.array(ImportResult) }),
  ),
  /** A config pasted into Add server (Claude Desktop / Cursor `mcpServers`, VS Code `servers`, or one server): what each server becomes. */
  previewPastedConfig: method(z.object({ text: PastedText }), PastedConfigView),
  /** Adds the chosen servers of a pasted config, as importServers does (stdio ones still need launch approval). */
  importPastedConfig: method(
    z.object({ text: PastedText, selections: z.array(PastedSelection).min(1).max(500) }),
    z.object({ results: z.array(ImportResult) }),
  ),
  /** What writing the servers into that file would change. `expectedHash` is a SHA-256 of the file text read (the text itself may hold secrets). */
  previewClientExport: method(
    ExportRequest,
    z.object({
      path: z.string(),
      exists: z.boolean(),
      expectedHash: z.string(),
      /** Changed lines with context; values that look secret are masked. */
      diff: z.array(DiffLineView),
      written: z.array(z.string()),
      refused: z.array(z.object({ name: z.string(), reason: z.string() })),
      warnings: z.array(z.object({ name: z.string(), reason: z.string() })),
      /** Secrets written as references the client resolves (set this variable, answer this prompt). */
      indirections: z.array(z.object({ server: z.string(), name: z.string(), placeholder: z.string(), note: z.string() })),
      /** Secrets this client can only take in plaintext: confirm each to write it. */
      needsPlaintext: z.array(ExportValueNote),
    }),
  ),
  /** Writes after a backup; refused when the file changed since the preview (hash mismatch). */
  writeClientExport: method(
    ExportRequest.extend({ expectedHash: z.string().max(128) }),
    z.object({ path: z.string(), backup: z.string().optional(), written: z.array(z.string()) }),
  ),
  /** Switchboard's own mcpServers file: secrets as ${NAME} references, never their values. */
  exportSwitchboardServers: method(z.object({ serverIds: z.array(ServerId).max(500).optional() }), z.object({ text: z.string() })),
};
