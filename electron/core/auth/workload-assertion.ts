import { open } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { IpcError } from '../../../shared/contract/errors';
import type { Vault } from '../vault';

// Where a workload's JWT comes from (SEP-1933 workload identity federation, the
// RFC 7523 jwt-bearer grant with a platform-issued JWT as the assertion). The
// platform rotates these tokens, so a file or a variable is read every time a
// token is requested (sign-in and silent renewal) and never copied anywhere.
//
// - file:  a path the platform keeps current, e.g. a Kubernetes projected
//          service-account token (/var/run/secrets/tokens/mcp-token) or a
//          JWT-SVID written by a SPIFFE helper;
// - env:   an environment variable of Switchboard's process that holds the JWT
//          itself, or the absolute path of a file that holds it (the
//          AZURE_FEDERATED_TOKEN_FILE / AWS_WEB_IDENTITY_TOKEN_FILE convention);
//          a compact JWT never contains '/', so the two cannot be confused;
// - vault: a JWT the user pasted, stored as a vault secret;
// - value: a JWT handed over directly (tests, the conformance client); it
//          cannot be read again, so the grant is not renewed silently.

export const GRANT_JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export type WorkloadAssertionSource =
  { kind: 'file'; path: string } | { kind: 'env'; name: string } | { kind: 'vault'; key: string } | { kind: 'value'; value: string };

/** A source that can be read again later (what a stored grant may keep: no secret in it). */
export type RenewableAssertionSource = Exclude<WorkloadAssertionSource, { kind: 'value' }>;

const MAX_BYTES = 64 * 1024;
/** Compact JWS (3 parts) or JWE (5 parts), base64url. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2}$|^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){4}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function renewableSource(source: WorkloadAssertionSource): RenewableAssertionSource | undefined {
  return source.kind === 'value' ? undefined : source;
}

/** Checks the shape of a configured source (no reading); throws VALIDATION. */
export function checkAssertionSource(source: WorkloadAssertionSource): void {
  if (source.kind === 'file' && !isAbsolute(source.path))
    throw new IpcError('VALIDATION', 'The workload token file must be an absolute path', { workloadTokenPath: 'Enter an absolute path.' });
  if (source.kind === 'env' && !ENV_NAME.test(source.name))
    throw new IpcError('VALIDATION', 'The workload token variable must be an environment variable name (letters, digits, _)', {
      workloadTokenEnv: 'Enter a variable name such as MCP_WORKLOAD_TOKEN.',
    });
}

/** Describes the source for messages and the consent screen (never the token). */
export function describeAssertionSource(source: WorkloadAssertionSource): string {
  switch (source.kind) {
    case 'file':
      return `the file ${source.path}`;
    case 'env':
      return `the environment variable ${source.name}`;
    case 'vault':
      return 'the token stored in the vault';
    case 'value':
      return 'the supplied token';
  }
}

async function readTokenFile(path: string, what: string): Promise<string> {
  if (!isAbsolute(path)) throw new IpcError('AUTH_FAILED', `${what} is not an absolute path`);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new IpcError('AUTH_FAILED', `Could not read the workload token from ${what}${code ? ` (${code})` : ''}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new IpcError('AUTH_FAILED', `The workload token at ${what} is not a regular file`);
    if (info.size > MAX_BYTES) throw new IpcError('AUTH_FAILED', `The workload token at ${what} is larger than ${MAX_BYTES / 1024} KiB`);
    const buffer = Buffer.alloc(MAX_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_BYTES) throw new IpcError('AUTH_FAILED', `The workload token at ${what} is larger than ${MAX_BYTES / 1024} KiB`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Reads the workload JWT now. Throws AUTH_FAILED with a message that names the source, never its content. */
export async function readWorkloadAssertion(source: WorkloadAssertionSource, vault: Vault, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let raw: string;
  switch (source.kind) {
    case 'file':
      raw = await readTokenFile(source.path, source.path);
      break;
    case 'env': {
      const value = ENV_NAME.test(source.name) ? env[source.name] : undefined;
      if (!value?.trim()) throw new IpcError('AUTH_FAILED', `The environment variable ${source.name} is not set, so there is no workload token to present`);
      const trimmed = value.trim();
      raw = COMPACT_JWT.test(trimmed) ? trimmed : await readTokenFile(trimmed, `the file named by ${source.name}`);
      break;
    }
    case 'vault': {
      const read = await vault.get(source.key);
      if (read.status !== 'ok')
        throw new IpcError(
          'AUTH_FAILED',
          `The stored workload token ${read.status === 'missing' ? 'is missing' : `cannot be used: ${read.reason}`}; paste it again`,
        );
      raw = read.value;
      break;
    }
    case 'value':
      raw = source.value;
  }
  const token = raw.trim();
  if (!COMPACT_JWT.test(token)) throw new IpcError('AUTH_FAILED', `The workload token in ${describeAssertionSource(source)} is not a JWT`);
  return token;
}
