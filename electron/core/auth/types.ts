import type { BrowserOpener, Clock, FetchPort, KeyValueStore } from '../ports';
import type { Vault } from '../vault';
import type { WorkloadAssertionSource } from './workload-assertion';

// Public types of the MCP OAuth client. No token values ever appear in these
// shapes: they cross IPC and end up in the UI.

/** The server as the auth layer sees it. `id` is the Switchboard server id. */
export interface AuthServerRef {
  id: string;
  /** The MCP endpoint URL (Streamable HTTP or SSE). */
  url: string;
  /** Pre-registered client (user-entered or bundled). Takes priority over CIMD and DCR. */
  oauthClient?: {
    clientId: string;
    clientSecret?: string;
    scopes?: string;
    /**
     * private_key_jwt client authentication (RFC 7523 §2.2): the client's PKCS#8 PEM
     * private key. Used instead of the secret at the token endpoint.
     */
    privateKeyPem?: string;
    /** JWS algorithm for private_key_jwt (ES256, RS256, PS256, Ed25519, ...); default: the one the key type implies. */
    signingAlgorithm?: string;
    /**
     * 'client_credentials' (SEP-1046): a machine client signs in as itself, with no
     * browser and no user; needs a secret or a private key. Default 'authorization_code'.
     */
    grantType?: 'authorization_code' | 'client_credentials';
  };
  /**
   * Enterprise-managed authorization (SEP-990, cross-app access): the user's enterprise
   * IdP exchanges their ID token (RFC 8693) for an ID-JAG, which the MCP server's AS
   * takes in an RFC 7523 jwt-bearer grant. Needs `oauthClient` (the client registered
   * at the AS, usually confidential); the ID token is passed to completeSignIn.
   */
  enterprise?: {
    /**
     * The IdP's issuer (https, or http on loopback). Its OpenID configuration gives the
     * authorization endpoint for the ID-token sign-in and, unless configured, the token endpoint.
     */
    idpIssuer?: string;
    /** The IdP's token endpoint for the token exchange; default: from the issuer's OpenID configuration. One of the two is required. */
    idpTokenEndpoint?: string;
    /** This app's client id at the IdP. */
    idpClientId: string;
    /** Its secret at the IdP, if it is a confidential client there (client_secret_basic). */
    idpClientSecret?: string;
  };
  /**
   * Workload identity federation (SEP-1933): the RFC 7523 jwt-bearer grant with a
   * platform-issued JWT (the workload's identity) as the assertion, no browser and no
   * user. `oauthClient.clientId` names the client at the AS (client auth `none` unless
   * a secret or key is configured).
   */
  workloadIdentity?: WorkloadAssertionSource;
  /** Do not send RFC 8707 `resource` (some ASes, e.g. Entra v1, reject it). */
  omitResourceParameter?: boolean;
  /** Client ID Metadata Document URL (https, with a path); used when the AS advertises CIMD support. */
  clientMetadataUrl?: string;
}

export type IssuerRelation = 'same-origin' | 'third-party';
export type RegistrationKind = 'pre-registered' | 'client-id-metadata-document' | 'dynamic' | 'existing' | 'manual-required';
export type ScopeSource = 'challenge' | 'scopes_supported' | 'configured' | 'none';
/**
 * How the grant is obtained: browser + PKCE, as the client itself, from an enterprise IdP
 * assertion (SEP-990, 'jwt-bearer'), or from the workload's platform JWT (SEP-1933).
 */
export type GrantKind = 'authorization_code' | 'client_credentials' | 'jwt-bearer' | 'workload-identity';

/** What the user is asked to approve before the browser opens. */
export interface ConsentPlan {
  planId: string;
  serverId: string;
  serverUrl: string;
  /** RFC 8707 resource indicator that will be sent (or would be, if omitted by configuration). */
  resource: string;
  issuer: string;
  issuerRelation: IssuerRelation;
  registration: RegistrationKind;
  scopes: string[];
  scopeSource: ScopeSource;
  /** 'authorization_code' opens the browser; the other two do not. */
  grantType: GrantKind;
  /** Scopes requested now that are not in the current grant (step-up delta); all scopes on a first sign-in. */
  addedScopes: string[];
  revocationSupported: boolean;
  /** The token endpoint's origin, only when it differs from the issuer's (the code and any client secret go there). */
  tokenEndpointOrigin?: string;
  /** Enterprise-managed authorization: the IdP the user signs in to and that issues the identity assertion. */
  identityProvider?: string;
  /** Workload identity: where the JWT is read from (a path or a variable name, never the token). */
  assertionSource?: string;
  /** The AS does DPoP (RFC 9449): the token will be bound to a key this app keeps (the algorithm). */
  dpopAlg?: string;
  /**
   * SEP-2352: the server now names a different authorization server than the one the current grant (or the
   * registered client) belongs to; this sign-in registers at the new one. The old issuer.
   */
  movedFromIssuer?: string;
}

/** A stored grant, as shown in the UI. Never contains token values. */
export interface GrantView {
  serverId: string;
  issuer: string;
  resource: string;
  clientId: string;
  registration: RegistrationKind;
  grantType: GrantKind;
  scopesRequested: string[];
  /** From the token response `scope`, else the requested scopes. */
  scopesGranted: string[];
  accessTokenExpiresAt?: number;
  hasRefreshToken: boolean;
  lastRefreshAt?: number;
  /** Human-readable, secret-free description of the last failure. */
  lastError?: string;
  revocationSupported: boolean;
  /** 'memory' when the cipher is not secure and the vault keeps secrets for this session only. */
  storage: 'encrypted' | 'memory';
  /** True when the user has to sign in again (undecryptable record, invalid_grant, no tokens). */
  needsSignIn: boolean;
  /** DPoP (RFC 9449): the grant's proof key (public facts only) and whether the AS bound the access token to it. */
  dpop?: { alg: string; thumbprint: string; senderConstrained: boolean };
}

export type HttpExchangePhase = 'discovery' | 'registration' | 'token' | 'revocation' | 'mcp';

/** One HTTP request made by the auth layer; headers are passed as-is (the recorder redacts). */
export interface HttpExchange {
  method: string;
  url: string;
  /** 0 when the request failed without a response. */
  status: number;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  durationMs: number;
  phase: HttpExchangePhase;
  /** The Switchboard server the request was made for (absent for requests not tied to one). */
  serverId?: string;
}

export interface AuthManagerDeps {
  vault: Vault;
  store: KeyValueStore;
  browser: BrowserOpener;
  clock?: Clock;
  onGrantChanged?: (serverId: string) => void;
  onHttpExchange?: (ex: HttpExchange) => void;
  /** Every token or client secret used for a server, so what the server echoes can be scrubbed from its traffic and history. */
  onSecret?: (serverId: string, value: string) => void;
  /** How long the loopback listener waits for the browser (default 5 minutes). */
  signInTimeoutMs?: number;
  /** Refresh this long before expiry (default 60 s). */
  refreshSkewMs?: number;
  /** MCP-Protocol-Version sent on discovery requests (default: the SDK's latest). */
  protocolVersion?: string;
  /** Client name used for DCR (default "Switchboard"). */
  clientName?: string;
  /** Base fetch for every request (MCP and OAuth); default: the global fetch. Instrumentation wraps it. */
  fetch?: FetchPort;
}

export interface PrepareSignInOptions {
  /** Raw WWW-Authenticate header value from the 401/403 that triggered sign-in. */
  challenge?: string;
  /** Merge the challenge scopes with the scopes already granted. */
  stepUp?: boolean;
}

export interface CompleteSignInOptions {
  /**
   * For enterprise-managed authorization (grantType 'jwt-bearer'): the user's ID token
   * from the enterprise IdP's OpenID Connect sign-in. Used once, never stored. Without it
   * the sign-in opens the browser at the IdP (authorization code + PKCE) to get one.
   */
  idToken?: string;
}

export interface RevokeResult {
  revokedAtServer: boolean;
  message: string;
}
