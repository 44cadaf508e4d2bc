// Every vault key, built in one place. A record is bound to its key (see
// vault.ts), so a key's spelling is part of the stored data: changing a builder
// makes existing secrets unreadable. keys.test.ts pins each one.

/** A key's purpose is in its name: `server:<id>:…` for a server's own secrets, `auth:…` for OAuth state. */
export const vaultKey = {
  /** A secret environment variable of a stdio server. */
  serverEnv: (serverId: string, name: string) => `server:${serverId}:env:${name}`,
  /** A secret header of a remote server. */
  serverHeader: (serverId: string, name: string) => `server:${serverId}:header:${name}`,
  /** The approved launch spec of a stdio server (secure storage only). */
  launchApproval: (serverId: string) => `server:${serverId}:launch-approval`,
  /** The client secret of a pre-registered OAuth client, entered with the server's config. */
  oauthClientSecret: (serverId: string) => `server:${serverId}:oauth-client-secret`,
  /** The PKCS#8 private key for private_key_jwt, entered with the server's config. */
  oauthPrivateKey: (serverId: string) => `server:${serverId}:oauth-private-key`,
  /** A workload identity JWT the user pasted (SEP-1933), entered with the server's config. */
  oauthWorkloadToken: (serverId: string) => `server:${serverId}:oauth-workload-token`,
  /** The client secret Switchboard has at the enterprise IdP (SEP-990), entered with the server's config. */
  oauthIdpClientSecret: (serverId: string) => `server:${serverId}:oauth-idp-client-secret`,
  /** Prefix of every `server:<id>:` key: deleted with the server. */
  serverPrefix: (serverId: string) => `server:${serverId}:`,
  /** The token set of one grant (a server, its authorization server and resource). */
  authGrant: (grant: { serverId: string; issuer: string; resource: string }) => `auth:grant:${grant.serverId}:${grant.issuer} ${grant.resource}`,
  /** Prefix of every grant of one server. */
  authGrantPrefix: (serverId: string) => `auth:grant:${serverId}:`,
  /**
   * The DPoP key pair (RFC 9449) of one grant: its private and public JWK. Bound to the grant like its tokens,
   * so a key record copied under another grant's key does not decrypt.
   */
  authDpopKey: (grant: { serverId: string; issuer: string; resource: string }) => `auth:dpop:${grant.serverId}:${grant.issuer} ${grant.resource}`,
  /** Prefix of every DPoP key of one server. */
  authDpopKeyPrefix: (serverId: string) => `auth:dpop:${serverId}:`,
  /** The secret of a dynamically registered (or pre-registered) OAuth client, by its client key. */
  authClientSecret: (clientKey: string) => `auth:client:${clientKey}`,
} as const;

export type VaultKeyPurpose = keyof typeof vaultKey;
