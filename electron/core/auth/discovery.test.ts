import { describe, expect, test } from 'vitest';
import { selectScopes } from './discovery';

describe('selectScopes (2025-11-25 strategy)', () => {
  test('challenge scope is authoritative, even outside scopes_supported', () => {
    expect(selectScopes({ challengeScopes: ['x'], prmScopesSupported: ['a', 'b'], configuredScopes: 'c' })).toEqual({
      scopes: ['x'],
      source: 'challenge',
      offlineAccessAdded: false,
    });
  });
  test('configured scopes next', () => {
    expect(selectScopes({ challengeScopes: [], configuredScopes: 'c d', prmScopesSupported: ['a'] })).toMatchObject({
      scopes: ['c', 'd'],
      source: 'configured',
    });
  });
  test('then all of PRM scopes_supported', () => {
    expect(selectScopes({ prmScopesSupported: ['a', 'b', 'a'] })).toMatchObject({ scopes: ['a', 'b'], source: 'scopes_supported' });
  });
  test('else no scope at all', () => {
    expect(selectScopes({})).toEqual({ scopes: [], source: 'none', offlineAccessAdded: false });
    expect(selectScopes({ prmScopesSupported: 'not-an-array-but-string' })).toMatchObject({ scopes: ['not-an-array-but-string'] });
    expect(selectScopes({ prmScopesSupported: [1, null, 'ok', 'has space'] })).toMatchObject({ scopes: ['ok'] });
  });
  test('offline_access only when the AS lists it', () => {
    expect(selectScopes({ prmScopesSupported: ['a'], asScopesSupported: ['openid', 'offline_access'] })).toEqual({
      scopes: ['a', 'offline_access'],
      source: 'scopes_supported',
      offlineAccessAdded: true,
    });
    expect(selectScopes({ prmScopesSupported: ['a'], asScopesSupported: ['openid'] })).toMatchObject({ scopes: ['a'], offlineAccessAdded: false });
    expect(selectScopes({ prmScopesSupported: ['a'] })).toMatchObject({ offlineAccessAdded: false });
    expect(selectScopes({ prmScopesSupported: ['a', 'offline_access'], asScopesSupported: ['offline_access'] })).toMatchObject({
      scopes: ['a', 'offline_access'],
      offlineAccessAdded: false,
    });
  });
  test('offline_access from the resource server (challenge or PRM) is dropped when the AS does not list it; configured scopes stay', () => {
    expect(selectScopes({ challengeScopes: ['a', 'offline_access'], asScopesSupported: ['a'] })).toMatchObject({ scopes: ['a'], source: 'challenge' });
    expect(selectScopes({ prmScopesSupported: ['a', 'offline_access'] })).toMatchObject({ scopes: ['a'], offlineAccessAdded: false });
    expect(selectScopes({ prmScopesSupported: ['offline_access'] })).toMatchObject({ scopes: [], source: 'scopes_supported' });
    expect(selectScopes({ configuredScopes: 'a offline_access' })).toMatchObject({ scopes: ['a', 'offline_access'], source: 'configured' });
  });
  test('offline_access is not added when scope would otherwise be omitted', () => {
    expect(selectScopes({ asScopesSupported: ['offline_access'] })).toMatchObject({ scopes: [], source: 'none' });
  });
});
