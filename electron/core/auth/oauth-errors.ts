import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';

// Turning openid-client and network failures into secret-free messages.

/** Removes every occurrence of the given secret values from a message. */
export function redact(message: string, secrets: (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

export const cleanText = (s: unknown, max = 200) =>
  String(s ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .slice(0, max);

/** A secret-free, human-readable description of an openid-client / network error. */
export function describeOAuthError(
  error: unknown,
  secrets: (string | undefined)[] = [],
  party = 'the authorization server',
): { message: string; oauthError?: string; network: boolean } {
  if (error instanceof IpcError) return { message: redact(error.message, secrets), network: false };
  if (error instanceof oidc.ResponseBodyError) {
    const desc = error.error_description ? `: ${cleanText(error.error_description)}` : '';
    return {
      message: redact(`${party} answered "${cleanText(error.error, 64)}"${desc} (HTTP ${error.status})`, secrets),
      oauthError: String(error.error),
      network: false,
    };
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) return { message: `${party} answered HTTP ${error.status}`, network: false };
  if (error instanceof oidc.ClientError) {
    const cause = (error as { cause?: unknown }).cause;
    const causeMsg =
      cause instanceof Error &&
      /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket|network|aborted|timeout/i.test(
        `${cause.message} ${(cause as { cause?: { code?: string } }).cause?.code ?? ''}`,
      );
    const status = cause && typeof cause === 'object' && 'status' in cause ? ` (HTTP ${(cause as { status: unknown }).status})` : '';
    return { message: redact(`${cleanText(error.message)}${status}`, secrets), network: Boolean(causeMsg) };
  }
  if (error instanceof Error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    const network = error.name === 'TypeError' || error.name === 'AbortError' || error.name === 'TimeoutError' || Boolean(code);
    return { message: redact(network ? `could not reach ${party}${code ? ` (${code})` : ''}` : cleanText(error.message), secrets), network };
  }
  return { message: 'unknown error', network: false };
}

/**
 * The error a failed sign-in ends with: an IpcError keeps its code (message
 * scrubbed of the flow's secrets); anything else is described, as
 * CONNECTION_FAILED when the AS was unreachable, else AUTH_FAILED.
 */
export function signInFailure(error: unknown, secrets: (string | undefined)[], serverUrl: string): { error: IpcError; oauthError?: string } {
  if (error instanceof IpcError && error.code !== 'INTERNAL') return { error: new IpcError(error.code, redact(error.message, secrets), error.details) };
  const info = describeOAuthError(error, secrets);
  return {
    error: new IpcError(
      info.network ? 'CONNECTION_FAILED' : 'AUTH_FAILED',
      `Sign-in to ${serverUrl} failed: ${info.message}`,
      info.oauthError ? { oauthError: info.oauthError } : undefined,
    ),
    oauthError: info.oauthError,
  };
}

export function splitScope(value: unknown): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
}
