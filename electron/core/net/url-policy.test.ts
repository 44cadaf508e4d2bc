import { describe, expect, test } from 'vitest';
import { IpcError } from '../../../shared/contract/errors';
import { isLoopbackHost } from './loopback';
import { assertSafeUrl, isSafeUrl } from './url-policy';

// One rule for every purpose; the cases below were the tests of its three predecessors
// (auth URL guard, browser URL guard, main's external-link policy).
const assertSafeAuthUrl = (url: string, what: string) => assertSafeUrl(url, 'auth-configured', { what });

describe('assertSafeUrl (auth URLs)', () => {
  test.each([
    'https://auth.example.com/authorize',
    'https://auth.example.com:8443/oauth/authorize?x=1',
    'http://127.0.0.1:8080/authorize',
    'http://127.1.2.3/authorize',
    'http://localhost:3000/cb',
    'http://[::1]:3000/cb',
  ])('accepts %s', (url) => {
    expect(assertSafeAuthUrl(url, 'authorization_endpoint').href).toBe(new URL(url).href);
  });

  test.each([
    ['javascript:alert(1)', /"javascript:" scheme/],
    ['JaVaScRiPt:alert(1)', /"javascript:" scheme/],
    ['data:text/html,<script>alert(1)</script>', /whitespace|"data:" scheme/],
    ['data:text/html;base64,PHNjcmlwdD4=', /"data:" scheme/],
    ['file:///etc/passwd', /"file:" scheme/],
    ['vbscript:msgbox', /"vbscript:" scheme/],
    ['ftp://auth.example.com/', /"ftp:" scheme/],
    ['http://auth.example.com/authorize', /plain http is only allowed for loopback/],
    ['http://10.0.0.1/authorize', /plain http/],
    ['http://127.0.0.1.evil.com/authorize', /plain http/],
    ['http://0.0.0.0/authorize', /plain http/],
    ['https://user:pass@auth.example.com/', /embedded credentials/],
    ['https://user@auth.example.com/', /embedded credentials/],
    ['/relative/path', /not an absolute URL/],
    ['', /missing or empty/],
    ['https://auth.example.com/a b', /whitespace or control/],
    ['https://auth.example.com/\u0000', /whitespace or control/],
    ['https://auth.example.com/"&calc.exe', /^$/],
  ])('rejects %s', (url, message) => {
    if (message.source === '^$') {
      // quotes/ampersands are legal URL characters: the guard accepts them, and the URL is never passed to a shell
      expect(() => assertSafeAuthUrl(url, 'x')).not.toThrow();
      return;
    }
    let error: unknown;
    try {
      assertSafeAuthUrl(url, 'authorization_endpoint');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe('AUTH_FAILED');
    expect((error as IpcError).message).toMatch(/^Refusing authorization_endpoint: /);
    expect((error as IpcError).message).toMatch(message);
  });

  test('does not echo query strings (which may carry codes) into messages', () => {
    expect(() => assertSafeAuthUrl('http://evil.example/cb?code=SECRETCODE123', 'redirect')).toThrow(/^(?!.*SECRETCODE123).*$/s);
    expect(() => assertSafeAuthUrl('not a url?code=SECRETCODE123', 'redirect')).toThrow(/^(?!.*SECRETCODE123).*$/s);
  });

  test('non-string input does not crash', () => {
    expect(() => assertSafeAuthUrl(undefined as unknown as string, 'x')).toThrow(IpcError);
    expect(() => assertSafeAuthUrl(42 as unknown as string, 'x')).toThrow(IpcError);
  });
});

describe('isLoopbackHost', () => {
  test.each(['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', '[::1]', '::1', '::ffff:7f00:1'])('%s is loopback', (h) =>
    expect(isLoopbackHost(h)).toBe(true),
  );
  test.each([
    '128.0.0.1',
    '0.0.0.0',
    '10.0.0.1',
    'localhost.evil.com',
    'app.localhost',
    'localhost.',
    '127.1',
    '127.0.0.1.nip.io',
    '::2',
    '[::]',
    'example.com',
  ])('%s is not loopback', (h) => expect(isLoopbackHost(h)).toBe(false));
});

describe('external links and the browser', () => {
  test('opens only https, or http on loopback, without credentials', () => {
    expect(isSafeUrl('https://auth.example.com/authorize?x=1', 'external-link')).toBe(true);
    expect(isSafeUrl('http://127.0.0.1:4000/authorize', 'external-link')).toBe(true);
    for (const bad of [
      'http://auth.example.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'vbscript:x',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'not a url',
    ]) {
      expect(isSafeUrl(bad, 'external-link'), bad).toBe(false);
      expect(isSafeUrl(bad, 'browser'), bad).toBe(false);
    }
  });

  test('the browser gets the parsed URL, or a VALIDATION error naming the reason', () => {
    expect(assertSafeUrl('https://auth.example.com/authorize?x=1', 'browser').href).toBe('https://auth.example.com/authorize?x=1');
    expect(() => assertSafeUrl('http://evil.localhost/authorize', 'browser')).toThrow(
      /^Refusing to open this URL in the browser: plain http is only allowed for loopback hosts/,
    );
    expect(() => assertSafeUrl('javascript:alert(1)', 'browser')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});

describe('URLs a server supplied (auth-metadata)', () => {
  const remote = { serverUrl: new URL('https://mcp.example.com/mcp') };
  const local = { serverUrl: new URL('http://127.0.0.1:3000/mcp') };
  test.each(['http://127.0.0.1:8080/token', 'https://localhost/token', 'https://0.0.0.0/token', 'https://[::]/token'])(
    'a remote server may not point at this machine: %s',
    (url) => {
      expect(() => assertSafeUrl(url, 'auth-metadata', { what: 'token_endpoint', ...remote })).toThrow(/^Refusing token_endpoint: it points at this computer/);
    },
  );
  test('a server on this machine may point at this machine; anyone may point elsewhere', () => {
    expect(assertSafeUrl('http://127.0.0.1:8080/token', 'auth-metadata', { what: 'token_endpoint', ...local }).port).toBe('8080');
    expect(assertSafeUrl('https://as.example.com/token', 'auth-metadata', { what: 'token_endpoint', ...remote }).host).toBe('as.example.com');
  });
});

describe("assertSafeUrl ('elicitation': a URL a server asks the user to visit)", () => {
  const remote = new URL('https://mcp.example.com/mcp');
  test.each([
    ['https://127.0.0.1:8080/', /points at this computer/],
    ['http://localhost:3000/', /points at this computer/],
    ['https://[::1]/', /points at this computer/],
    ['https://0.0.0.0/', /points at this computer/],
    ['https://192.168.1.1/admin', /private network address/],
    ['https://10.0.0.8/', /private network address/],
    ['https://172.16.4.2/', /private network address/],
    ['https://169.254.169.254/latest/meta-data', /private network address/],
    ['https://[fd00::1]/', /private network address/],
    ['https://[fe80::1]/', /private network address/],
    ['https://[::ffff:192.168.0.1]/', /private network address/],
  ])('a remote server may not send the browser to %s', (url, why) => {
    expect(() => assertSafeUrl(url, 'elicitation', { serverUrl: remote })).toThrow(why);
    expect(() => assertSafeUrl(url, 'elicitation', { serverUrl: remote })).toThrow(IpcError);
  });

  test('a server on this machine (stdio: no server URL; or a loopback URL) may', () => {
    expect(assertSafeUrl('http://127.0.0.1:8080/cb', 'elicitation', {}).href).toBe('http://127.0.0.1:8080/cb');
    expect(assertSafeUrl('https://192.168.1.1/', 'elicitation', { serverUrl: new URL('http://127.0.0.1:9000/mcp') }).host).toBe('192.168.1.1');
    expect(assertSafeUrl('https://pay.example.com/x', 'elicitation', { serverUrl: remote }).host).toBe('pay.example.com');
  });

  test('the scheme, credential and length rules hold as for every purpose', () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@pay.example.com/', `https://pay.example.com/${'a'.repeat(9000)}`])
      expect(() => assertSafeUrl(url, 'elicitation', {})).toThrow(/Refusing to open the URL this server asked for/);
  });
});
