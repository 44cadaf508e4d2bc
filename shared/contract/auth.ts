import { z } from 'zod';
import { event, method } from './define';
import { ServerId } from './servers';

// Sign-in, consent and grants for remote servers. No token value ever appears
// in these shapes: they describe grants, they do not carry them.

export const RegistrationKind = z.enum(['pre-registered', 'client-id-metadata-document', 'dynamic', 'existing', 'manual-required']);

export const ConsentPlanView = z.object({
  planId: z.string(),
  serverId: ServerId,
  serverUrl: z.string(),
  resource: z.string(),
  /** False when the user turned the RFC 8707 resource parameter off for this server. */
  resourceSent: z.boolean(),
  issuer: z.string(),
  issuerRelation: z.enum(['same-origin', 'third-party']),
  registration: RegistrationKind,
  scopes: z.array(z.string()),
  scopeSource: z.enum(['challenge', 'scopes_supported', 'configured', 'none']),
  /** Scopes this sign-in adds to the current grant (all of them on a first sign-in). */
  addedScopes: z.array(z.string()),
  stepUp: z.boolean(),
  revocationSupported: z.boolean(),
  /** The token endpoint's origin, present only when it differs from the issuer's origin. */
  tokenEndpointOrigin: z.string().optional(),
  /** client_credentials and workload-identity sign in without a browser; jwt-bearer (enterprise) opens it at the IdP. */
  grantType: z.string(),
  /** Enterprise-managed authorization: the identity provider the user signs in to, which issues the assertion for this server. */
  identityProvider: z.string().optional(),
  /** Workload identity: where the workload's JWT is read from (never the token). */
  assertionSource: z.string().optional(),
  /** The authorization server does DPoP (RFC 9449): the token will be bound to a key kept on this computer (its algorithm). */
  dpopAlg: z.string().optional(),
  /** The server moved to another authorization server (SEP-2352): the issuer the current sign-in belongs to. */
  movedFromIssuer: z.string().optional(),
});
export type ConsentPlanView = z.infer<typeof ConsentPlanView>;

export const GrantView = z.object({
  serverId: ServerId,
  issuer: z.string(),
  resource: z.string(),
  clientId: z.string(),
  registration: RegistrationKind,
  grantType: z.string(),
  scopesRequested: z.array(z.string()),
  scopesGranted: z.array(z.string()),
  accessTokenExpiresAt: z.number().optional(),
  hasRefreshToken: z.boolean(),
  lastRefreshAt: z.number().optional(),
  lastError: z.string().optional(),
  revocationSupported: z.boolean(),
  storage: z.enum(['encrypted', 'memory']),
  needsSignIn: z.boolean(),
  /** DPoP (RFC 9449): the proof key's algorithm and RFC 7638 thumbprint (public), and whether the access token is bound to it. */
  dpop: z.object({ alg: z.string(), thumbprint: z.string(), senderConstrained: z.boolean() }).optional(),
});
export type GrantView = z.infer<typeof GrantView>;

const ByServer = z.object({ serverId: ServerId });

export const authMethods = {
  /** Discovery only: what the user is about to grant. No browser opens. */
  prepareSignIn: method(z.object({ serverId: ServerId, stepUp: z.boolean().default(false) }), z.object({ plan: ConsentPlanView })),
  /** The user continued on the consent screen: open the browser, wait for the redirect, store the grant, reconnect. */
  completeSignIn: method(z.object({ planId: z.string().min(1).max(200) }), z.object({ grant: GrantView })),
  cancelSignIn: method(z.object({ planId: z.string().min(1).max(200) }), z.object({})),
  getGrant: method(ByServer, z.object({ grant: GrantView.optional() })),
  /** RFC 7009 revocation at the authorization server (when advertised), then local deletion. */
  revokeGrant: method(ByServer, z.object({ revokedAtServer: z.boolean(), message: z.string() })),
  /** Local only: forget the tokens on this machine. */
  signOut: method(ByServer, z.object({})),
};

export const authEvents = {
  grantChanged: event(z.object({ serverId: ServerId, grant: GrantView.optional() })),
};
