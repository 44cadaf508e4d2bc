import { describe, expect, it } from 'vitest';
import { vaultKey } from './keys';

// Records are bound to their key: these strings are what earlier versions wrote,
// so they must never change (a changed key reads as "undecryptable").
describe('vault keys', () => {
  it('builds the same strings the stored records carry', () => {
    expect(vaultKey.serverEnv('s1', 'API_KEY')).toBe('server:s1:env:API_KEY');
    expect(vaultKey.serverHeader('s1', 'Authorization')).toBe('server:s1:header:Authorization');
    expect(vaultKey.launchApproval('s1')).toBe('server:s1:launch-approval');
    expect(vaultKey.oauthClientSecret('s1')).toBe('server:s1:oauth-client-secret');
    expect(vaultKey.oauthPrivateKey('s1')).toBe('server:s1:oauth-private-key');
    expect(vaultKey.oauthWorkloadToken('s1')).toBe('server:s1:oauth-workload-token');
    expect(vaultKey.oauthIdpClientSecret('s1')).toBe('server:s1:oauth-idp-client-secret');
    expect(vaultKey.serverPrefix('s1')).toBe('server:s1:');
    expect(vaultKey.authGrant({ serverId: 's1', issuer: 'https://as.example', resource: 'https://mcp.example/mcp' })).toBe(
      'auth:grant:s1:https://as.example https://mcp.example/mcp',
    );
    expect(vaultKey.authGrantPrefix('s1')).toBe('auth:grant:s1:');
    expect(vaultKey.authDpopKey({ serverId: 's1', issuer: 'https://as.example', resource: 'https://mcp.example/mcp' })).toBe(
      'auth:dpop:s1:https://as.example https://mcp.example/mcp',
    );
    expect(vaultKey.authDpopKeyPrefix('s1')).toBe('auth:dpop:s1:');
    expect(vaultKey.authClientSecret('https://as.example|client')).toBe('auth:client:https://as.example|client');
  });

  it("a server's prefix covers all of its own keys and none of another server's", () => {
    const own = [
      vaultKey.serverEnv('a', 'X'),
      vaultKey.serverHeader('a', 'H'),
      vaultKey.launchApproval('a'),
      vaultKey.oauthClientSecret('a'),
      vaultKey.oauthPrivateKey('a'),
      vaultKey.oauthWorkloadToken('a'),
      vaultKey.oauthIdpClientSecret('a'),
    ];
    for (const key of own) expect(key.startsWith(vaultKey.serverPrefix('a'))).toBe(true);
    expect(vaultKey.serverEnv('ab', 'X').startsWith(vaultKey.serverPrefix('a'))).toBe(false);
    expect(vaultKey.authGrant({ serverId: 'ab', issuer: 'i', resource: 'r' }).startsWith(vaultKey.authGrantPrefix('a'))).toBe(false);
    expect(vaultKey.authDpopKey({ serverId: 'ab', issuer: 'i', resource: 'r' }).startsWith(vaultKey.authDpopKeyPrefix('a'))).toBe(false);
  });
});
