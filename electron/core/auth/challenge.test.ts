import { describe, expect, test } from 'vitest';
import { parseWwwAuthenticate } from './challenge';

describe('parseWwwAuthenticate', () => {
  test('MCP 401 challenge', () => {
    const c = parseWwwAuthenticate(
      'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="files:read files:write"',
    );
    expect(c.bearer).toBe(true);
    expect(c.resourceMetadata).toBe('https://mcp.example.com/.well-known/oauth-protected-resource/mcp');
    expect(c.scope).toBe('files:read files:write');
    expect(c.scopes).toEqual(['files:read', 'files:write']);
    expect(c.error).toBeUndefined();
  });

  test('403 insufficient_scope with description containing commas and escaped quotes', () => {
    const c = parseWwwAuthenticate('Bearer error="insufficient_scope", scope="a b", error_description="needs \\"a\\", and b", resource_metadata="https://x/y"');
    expect(c.error).toBe('insufficient_scope');
    expect(c.errorDescription).toBe('needs "a", and b');
    expect(c.scopes).toEqual(['a', 'b']);
    expect(c.resourceMetadata).toBe('https://x/y');
  });

  test('case-insensitive scheme and names, token (unquoted) values, odd spacing', () => {
    const c = parseWwwAuthenticate('bearer   ERROR=invalid_token ,Scope=read,  realm="r"');
    expect(c.bearer).toBe(true);
    expect(c.error).toBe('invalid_token');
    expect(c.scopes).toEqual(['read']);
    expect(c.realm).toBe('r');
  });

  test('finds Bearer among several challenges, ignoring token68 of others', () => {
    const c = parseWwwAuthenticate('Basic realm="x", Negotiate abc123==, Bearer scope="s1", error="insufficient_scope"');
    expect(c.bearer).toBe(true);
    expect(c.scopes).toEqual(['s1']);
    expect(c.error).toBe('insufficient_scope');
    expect(parseWwwAuthenticate('Basic realm="x", Negotiate abc123==').bearer).toBe(false);
  });

  test('first occurrence of a duplicated parameter wins', () => {
    expect(parseWwwAuthenticate('Bearer scope="a", scope="b"').scope).toBe('a');
  });

  test('Bearer without parameters', () => {
    expect(parseWwwAuthenticate('Bearer')).toMatchObject({ bearer: true, scopes: [] });
  });

  test.each([
    undefined,
    null,
    '',
    '"',
    '=',
    ',,,,',
    'Bearer "',
    'Bearer scope="unterminated',
    'Bearer ===,,="x"',
    'Bearer scope=',
    '\u0000\u0001Bearer\u0002',
    'Bearer __proto__="x", constructor="y"',
    'x'.repeat(100_000),
    'Bearer scope="' + 'a '.repeat(50_000) + '"',
  ])('hostile input %#: never throws', (input) => {
    expect(() => parseWwwAuthenticate(input as string)).not.toThrow();
    const c = parseWwwAuthenticate(input as string);
    expect(Array.isArray(c.scopes)).toBe(true);
  });

  test('__proto__ parameter does not pollute prototypes', () => {
    const c = parseWwwAuthenticate('Bearer __proto__="polluted", scope="s"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(c.params)).toBe(Object.prototype);
    expect(c.scopes).toEqual(['s']);
  });

  test('unterminated quote keeps what it has', () => {
    expect(parseWwwAuthenticate('Bearer scope="a b').scopes).toEqual(['a', 'b']);
  });

  test('scope tokens with illegal characters are dropped', () => {
    expect(parseWwwAuthenticate('Bearer scope="ok bad\\\\one"').scopes).toEqual(['ok']);
  });
});
