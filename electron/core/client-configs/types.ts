// The shapes shared by the client config readers and writers. Plain data: the
// IPC contract for the hub (next round) will mirror these as zod schemas.

export type ClientId = 'claude-desktop' | 'claude-code' | 'cursor' | 'vscode' | 'windsurf' | 'switchboard';

/** Which `${…}` forms a client expands in its server entries. */
export type VariableSyntax = 'none' | 'claude-code' | 'cursor' | 'vscode';

export type Scope = 'user' | 'local' | 'project' | 'workspace';

/** Something wrong or dropped in a file; never silent. Line and column are 1-based. */
export interface Problem {
  severity: 'error' | 'warning';
  reason: string;
  /** The server entry it concerns, when it concerns one. */
  server?: string;
  line?: number;
  column?: number;
}

export interface NamedValue {
  name: string;
  value: string;
}

/** A VS Code `inputs` entry: asked once, its answer substituted for `${input:id}`. */
export interface InputDeclaration {
  id: string;
  type: string;
  description?: string;
  password: boolean;
  default?: string;
  options?: string[];
}

/** One server entry as the client wrote it: strings verbatim, variables not yet expanded. */
export interface ImportCandidate {
  name: string;
  client: ClientId;
  scope: Scope;
  /** Claude Code local scope: the project path it belongs to. */
  project?: string;
  type: 'stdio' | 'http' | 'sse';
  command?: string;
  args: string[];
  cwd?: string;
  env: NamedValue[];
  envFile?: string;
  url?: string;
  headers: NamedValue[];
  disabled?: boolean;
  syntax: VariableSyntax;
  /** Fields the reader does not know; listed so nothing is dropped silently. */
  unknownFields: string[];
  line?: number;
  column?: number;
}

export interface ParseResult {
  servers: ImportCandidate[];
  problems: Problem[];
  /** VS Code only: the `inputs` declarations. */
  inputs: InputDeclaration[];
}

export interface ExportValue {
  name: string;
  value: string;
  secret: boolean;
  /** The user confirmed, for this value, that it may be written in plaintext. */
  plaintextConfirmed?: boolean;
  /** Written before a reference to the secret ("Bearer " + ${input:…}); part of `value` when written in plaintext. */
  prefix?: string;
}

export type ExportEntry =
  | { name: string; transport: 'stdio'; command: string; args: string[]; cwd?: string; env: ExportValue[] }
  | { name: string; transport: 'http'; url: string; mode: 'auto' | 'streamable-http' | 'sse'; headers: ExportValue[] };

/** A secret written as a reference the client resolves itself (the value must reach the client some other way). */
export interface Indirection {
  server: string;
  field: 'env' | 'headers';
  name: string;
  placeholder: string;
  /** What the user has to do: set this environment variable, or answer this VS Code prompt. */
  note: string;
}

export interface WriteResult {
  text: string;
  diff: DiffLine[];
  written: string[];
  refused: { name: string; reason: string }[];
  indirections: Indirection[];
  /** Written, but worth reading before confirming (e.g. text the client will treat as a variable). */
  warnings: { name: string; reason: string }[];
}

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** 1-based line in the old (for ' ' and '-') or new (for '+') text. */
  line: number;
}

/** Caps on hostile input: a config file is someone else's, possibly planted. */
export const LIMITS = {
  fileBytes: 8 * 1024 * 1024, // ~/.claude.json carries project history and grows large
  depth: 64,
  servers: 500,
  nameChars: 100,
  commandChars: 4096,
  args: 256,
  argChars: 32 * 1024,
  envEntries: 256,
  valueChars: 64 * 1024,
  urlChars: 8192,
  headers: 64,
  inputs: 256,
  envFileBytes: 256 * 1024,
} as const;

export class ClientConfigError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ClientConfigError';
  }
}
