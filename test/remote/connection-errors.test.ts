import { describe, expect, it } from 'vitest';
import { IpcError } from '../../shared/contract/errors';
import { classifyConnectionError, displayUrl, quoteServerText } from '../../electron/core/remote/connection-errors';
import { SdkHttpError, SdkErrorCode } from '@modelcontextprotocol/client';

// Pure-function checks for the causes the integration tests cannot produce on
// loopback (DNS, routing, CA-trusted hostname mismatch, expiry). The error shapes
// are the ones undici's fetch throws: TypeError('fetch failed') with a coded cause.

const url = 'https://user:pw@mcp.example.com:8443/v1/mcp?api_key=SECRET#frag';
const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyConnectionError', () => {
  it.each([
    ['ENOTFOUND', 'CONNECTION_FAILED', /could not be resolved/],
    ['EHOSTUNREACH', 'CONNECTION_FAILED', /host is unreachable/],
    ['ECONNRESET', 'CONNECTION_FAILED', /reset/],
    ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT', /did not answer in time/],
    ['ETIMEDOUT', 'TIMEOUT', /did not answer in time/],
    ['CERT_HAS_EXPIRED', 'CONNECTION_FAILED', /certificate has expired/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'CONNECTION_FAILED', /hostname mismatch/],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CONNECTION_FAILED', /unknown certificate authority.*NODE_EXTRA_CA_CERTS/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'CONNECTION_FAILED', /self-signed.*NODE_EXTRA_CA_CERTS/],
  ])('%s → %s', (code, expected, pattern) => {
    const err = classifyConnectionError(fetchFailed(coded(code)), { url, timeoutMs: 10_000 });
    expect(err).toBeInstanceOf(IpcError);
    expect(err.code).toBe(expected);
    expect(err.message).toMatch(pattern);
    expect(err.message).toContain('https://mcp.example.com:8443/v1/mcp');
    expect(err.message).not.toMatch(/SECRET|user:pw|frag/);
  });

  it('finds ECONNREFUSED inside an AggregateError (IPv4 + IPv6 attempts)', () => {
    const agg = Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed'), { code: 'ECONNREFUSED' });
    expect(classifyConnectionError(fetchFailed(agg), { url }).message).toMatch(/refused/);
  });

  it('uses the fetch error recorded for an SSE attempt (eventsource hides the cause)', () => {
    const err = classifyConnectionError(new Error('SSE error: fetch failed'), {
      url,
      attempts: [{ transport: 'sse', error: new Error('SSE error: fetch failed'), fetchError: fetchFailed(coded('ENOTFOUND')) }],
    });
    expect(err.message).toMatch(/could not be resolved/);
  });

  it('does not echo server text that is long or contains control characters', () => {
    const nasty = `\u001b[31mred\u001b[0m\n${'A'.repeat(500)}`;
    const err = classifyConnectionError(new Error(nasty), { url });
    expect(err.message).not.toContain('\u001b');
    expect(err.message).not.toContain('\n');
    expect(err.message.length).toBeLessThan(300);
  });

  it('403 is AUTH_REQUIRED; an SdkHttpError 500 is a server error', () => {
    expect(
      classifyConnectionError(new SdkHttpError(SdkErrorCode.ClientHttpForbidden, 'Error POSTing to endpoint: forbidden', { status: 403 }), { url }).code,
    ).toBe('AUTH_REQUIRED');
    const e500 = classifyConnectionError(
      new SdkHttpError(SdkErrorCode.ClientHttpFailedToOpenStream, 'Error POSTing to endpoint: <html>stack trace</html>', { status: 500 }),
      { url },
    );
    expect(e500.message).toMatch(/server error \(HTTP 500\)/);
    expect(e500.message).not.toContain('stack trace');
  });

  it('helpers', () => {
    expect(displayUrl(url)).toBe('https://mcp.example.com:8443/v1/mcp');
    expect(displayUrl('::')).toBe('(invalid URL)');
    expect(quoteServerText('a\u202eb\tc', 10)).toBe('a b c');
  });

  it.each([
    ['net::ERR_CONNECTION_REFUSED', 'CONNECTION_FAILED', /connection was refused/],
    ['net::ERR_NAME_NOT_RESOLVED', 'CONNECTION_FAILED', /could not be resolved/],
    ['net::ERR_CONNECTION_TIMED_OUT', 'TIMEOUT', /did not answer in time/],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'CONNECTION_FAILED', /unknown certificate authority.*trust store.*NODE_EXTRA_CA_CERTS/],
    ['net::ERR_CERT_COMMON_NAME_INVALID', 'CONNECTION_FAILED', /hostname mismatch/],
    ['net::ERR_CERT_DATE_INVALID', 'CONNECTION_FAILED', /expired or is not valid yet/],
    ['net::ERR_PROXY_CONNECTION_FAILED', 'CONNECTION_FAILED', /proxy server could not be reached/],
    ['net::ERR_TUNNEL_CONNECTION_FAILED', 'CONNECTION_FAILED', /proxy server would not connect/],
    ['net::ERR_PROXY_CERTIFICATE_INVALID', 'CONNECTION_FAILED', /proxy server presented an untrusted certificate/],
    ['net::ERR_PAC_SCRIPT_FAILED', 'CONNECTION_FAILED', /PAC\) script failed/],
    ['net::ERR_UNSAFE_PORT', 'CONNECTION_FAILED', /list of ports that fetch refuses/],
  ])("Chromium (the app's fetch port): %s → %s", (message, expected, pattern) => {
    const err = classifyConnectionError(fetchFailed(new Error(message)), { url, timeoutMs: 10_000 });
    expect(err.code).toBe(expected);
    expect(err.message).toMatch(pattern);
  });
});
