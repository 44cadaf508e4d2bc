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
    const mixUp = issuerMixUp(cause, party);
    if (mixUp) return { message: redact(mixUp, secrets), oauthError: 'invalid_iss', network: false };
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
 * RFC 9207 failures, which openid-client reports as "invalid response encountered" with the detail in the
 * cause: the authorization response's `iss` is missing although the AS advertises it, or names another
 * issuer (compared as an exact string). Either way the code was not sent to the token endpoint.
 */
function issuerMixUp(cause: unknown, party: string): string | undefined {
  if (!(cause instanceof Error) || !/^(response parameter "iss" \(issuer\) missing|unexpected "iss" \(issuer\) response parameter value)$/.test(cause.message))
    return undefined;
  const c = cause as { cause?: { expected?: unknown; parameters?: unknown } };
  const expected = typeof c.cause?.expected === 'string' ? c.cause.expected : party;
  if (cause.message.includes('missing'))
    return `the authorization response carries no "iss" although ${cleanText(expected)} says it always sends one (RFC 9207); it may come from another server, so its code was not used`;
  const params = c.cause?.parameters;
  const got = params instanceof URLSearchParams ? params.get('iss') : undefined;
  return `the authorization response names the issuer "${cleanText(got ?? '?', 120)}", not ${cleanText(expected)} (RFC 9207 mix-up defence), so its code was not used`;
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
