import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactSecrets, redactString } from './redact';
import { classifyHttpPhase, redactBody, redactHeaders, redactUrl } from './http-redact';

describe('redactSecrets', () => {
  it('replaces secret-looking keys at any depth and keeps everything else', () => {
    const input = {
      query: 'weather',
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1', accept: 'json' },
      nested: [{ access_token: 't1', refresh_token: 't2', id_token: 't3', client_secret: 's', password: 'p', apiKey: 'k2', cookie: 'c', 'set-cookie': ['a'] }],
      _meta: { progressToken: 7 },
      maxTokens: 100,
    };
    const out = redactSecrets(input);
    expect(out.query).toBe('weather');
    expect(out.headers).toEqual({ Authorization: REDACTED, 'X-Api-Key': REDACTED, accept: 'json' });
    expect(Object.values(out.nested[0]!)).toEqual(Array(8).fill(REDACTED));
    expect(out._meta.progressToken).toBe(7);
    expect(out.maxTokens).toBe(100);
  });

  it('does not mutate the input and shares untouched subtrees', () => {
    const big = { items: Array.from({ length: 100 }, (_, i) => ({ i })) };
    const input = { big, options: { token: 'x' } };
    const out = redactSecrets(input);
    expect(input.options.token).toBe('x');
    expect(out.options.token).toBe(REDACTED);
    expect(out.big).toBe(big);
    expect(redactSecrets(big)).toBe(big);
  });

  it('is cycle-safe and the result serializes', () => {
    const a: Record<string, unknown> = { name: 'a', secret: 's' };
    a.self = a;
    a.list = [a, { b: a }];
    const out = redactSecrets(a);
    expect(() => JSON.stringify(out)).not.toThrow();
    expect(JSON.stringify(out)).not.toContain('"s"');
    expect(out.self).toBe('[circular]');
  });

  it('scrubs bearer credentials inside strings but leaves prose alone', () => {
    expect(redactString('failed with header Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe(`failed with header Bearer ${REDACTED}`);
    expect(redactString('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redactString('covers the basic functionality of the bearer instrument')).toBe('covers the basic functionality of the bearer instrument');
    expect(redactString('token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijk done')).toBe(`token=${REDACTED} done`);
    expect(redactString('GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 and sk-ant-api03-abcdefghijklmnopqrstuv')).toBe(
      `GITHUB_TOKEN=${REDACTED} and ${REDACTED}`,
    );
    expect(redactString('a task-oriented skill set, sk-short')).toBe('a task-oriented skill set, sk-short');
  });

  it('cuts long strings when asked to', () => {
    const input = { content: [{ type: 'image', data: 'A'.repeat(100_000) }], short: 'ok' };
    const out = redactSecrets(input, { maxStringChars: 1_000 });
    expect(out.content[0]!.data).toMatch(/^A{1000}… \[99000 more characters\]$/);
    expect(out.short).toBe('ok');
    expect(input.content[0]!.data).toHaveLength(100_000);
  });

  it('recognizes key spellings', () => {
    for (const k of [
      'token',
      'Access-Token',
      'client_secret',
      'API_KEY',
      'apikey',
      'githubToken',
      'db_password',
      'Set-Cookie',
      'aws_secret_access_key',
      'secretKey',
      'AWS_ACCESS_KEY',
      'credentials',
      'tokens',
      'auth',
      'connectionString',
      'connection_string',
      'DSN',
      'jwt',
      'id_token_hint',
      'Mcp-Session-Id',
      'X-Session',
      'X-Amz-Signature',
      'pwd',
    ])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['progressToken', 'maxTokens', 'token_type', 'name', 'keyboard']) expect(isSecretKey(k), k).toBe(false);
  });
});

describe('HTTP redaction', () => {
  it('redacts credential query and fragment parameters and userinfo', () => {
    const url = redactUrl('https://user:pw@app.example/cb?code=abc123&state=xyz&scope=read%20write#access_token=tok&token_type=bearer');
    expect(url).toBe(`https://${REDACTED}@app.example/cb?code=${REDACTED}&state=${REDACTED}&scope=read%20write#access_token=${REDACTED}&token_type=bearer`);
    expect(redactUrl(new URL('https://as.example/token?refresh_token=r&client_secret=s&x=1'))).toBe(
      `https://as.example/token?refresh_token=${REDACTED}&client_secret=${REDACTED}&x=1`,
    );
    expect(redactUrl('/relative?access_token=t')).toBe(`/relative?access_token=${REDACTED}`);
  });

  it('redacts credential headers and any bearer value', () => {
    const headers = new Headers({
      Authorization: 'Bearer sekret-token-value',
      Cookie: 'sid=1',
      'Proxy-Authorization': 'Basic abc',
      DPoP: 'eyJ0eXAiOiJkcG9wK2p3dCJ9.e30.sig',
      'X-Refresh-Token': 'r',
      'X-Service-Key': 'k',
      'X-Client-Secret': 's',
      'X-Forwarded-Auth': 'bearer sneaky-value',
      'Content-Type': 'application/json',
    });
    const out = redactHeaders(headers);
    expect(out).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'proxy-authorization': REDACTED,
      dpop: REDACTED,
      'x-refresh-token': REDACTED,
      'x-service-key': REDACTED,
      'x-client-secret': REDACTED,
      'x-forwarded-auth': REDACTED,
      'content-type': 'application/json',
    });
    expect(redactHeaders({ 'set-cookie': ['a=1', 'b=2'], accept: 'x' })).toEqual({ 'set-cookie': REDACTED, accept: 'x' });
    expect(redactHeaders([['WWW-Authenticate', 'Bearer resource_metadata="https://x/.well-known/oauth-protected-resource"']])['www-authenticate']).toBe(
      REDACTED,
    );
  });

  it('redacts token fields in JSON, form and SSE bodies', () => {
    const json = redactBody(JSON.stringify({ access_token: 'AT', refresh_token: 'RT', id_token: 'IT', token_type: 'Bearer', expires_in: 3600, scope: 'a b' }), {
      oauth: true,
    });
    expect(JSON.parse(json)).toEqual({
      access_token: REDACTED,
      refresh_token: REDACTED,
      id_token: REDACTED,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'a b',
    });

    const form = redactBody(
      'grant_type=authorization_code&code=AUTHCODE&code_verifier=VER&client_id=app&client_secret=CS&redirect_uri=http%3A%2F%2F127.0.0.1',
      { oauth: true },
    );
    expect(form).toBe(
      `grant_type=authorization_code&code=${REDACTED}&code_verifier=${REDACTED}&client_id=app&client_secret=${REDACTED}&redirect_uri=http%3A%2F%2F127.0.0.1`,
    );
    expect(redactBody('grant_type=password&username=u&password=PW&assertion=AS', { oauth: true })).toBe(
      `grant_type=password&username=u&password=${REDACTED}&assertion=${REDACTED}`,
    );

    const sse = redactBody('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"access_token":"AT2","n":1}}\n\n');
    expect(sse).not.toContain('AT2');
    expect(sse).toContain('"n":1');
  });

  it('keeps JSON-RPC error codes on the MCP endpoint but redacts authorization codes elsewhere', () => {
    const mcp = redactBody(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'bad' } }));
    expect(JSON.parse(mcp).error.code).toBe(-32600);
    expect(JSON.parse(redactBody(JSON.stringify({ code: 'AUTHCODE' }), { oauth: true })).code).toBe(REDACTED);
  });

  it('truncates long bodies after redacting them', () => {
    const body = JSON.stringify({ access_token: 'AT', filler: 'x'.repeat(40_000) });
    const out = redactBody(body);
    expect(out.length).toBeLessThan(16 * 1024 + 64);
    expect(out).toContain('more characters');
    expect(out).not.toContain('"AT"');
    // Already truncated text (unparseable JSON) is still scrubbed by pattern.
    expect(redactBody('{"refresh_token":"RT","x":"' + 'y'.repeat(100))).not.toContain('"RT"');
  });

  it('classifies phases from URLs', () => {
    expect(classifyHttpPhase('https://as.example/.well-known/oauth-authorization-server')).toBe('discovery');
    expect(classifyHttpPhase('https://as.example/register')).toBe('registration');
    expect(classifyHttpPhase('https://as.example/oauth/token')).toBe('token');
    expect(classifyHttpPhase('https://as.example/revoke')).toBe('revocation');
    expect(classifyHttpPhase('https://api.example/v1/rpc', 'https://api.example/v1/rpc')).toBe('mcp');
    expect(classifyHttpPhase('https://api.example/mcp')).toBe('mcp');
    expect(classifyHttpPhase('https://api.example/other')).toBe('other');
  });
});
