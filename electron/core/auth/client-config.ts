import { createPrivateKey, webcrypto, type KeyObject } from 'node:crypto';
import * as oidc from 'openid-client';
import { IpcError } from '../../../shared/contract/errors';
import { isLoopbackHost } from '../net/loopback';
import { assertSafeUrl } from '../net/url-policy';
import type { AuthContext } from './auth-context';
import type { AuthorizationServerInfo } from './discovery';
import { AuthRequiredError } from './errors';
import { clientSecretKey, type StoredGrant, type TokenEndpointAuthMethod } from './grant-store';
import { cleanText } from './oauth-errors';
import type { AuthServerRef, HttpExchangePhase } from './types';

// The openid-client Configuration for one client at one authorization server:
// how the client authenticates at the token endpoint (none, client_secret_basic,
// client_secret_post, private_key_jwt) and which fetch it uses.

/**
 * client_secret_basic (RFC 6749 §2.3.1): `Basic base64(id:secret)` with both parts
 * percent-encoded by encodeURIComponent. openid-client's own ClientSecretBasic also
 * escapes `-_.!~*'()`, which many servers (and the MCP conformance AS) do not decode,
 * so "pre-registered-client" arrived as "pre%2Dregistered%2Dclient". encodeURIComponent
 * leaves those characters alone and still escapes ':' (which would split the pair),
 * '%' and everything non-ASCII, so a server that URL-decodes gets the same values.
 */
export function clientSecretBasic(secret: string | undefined): oidc.ClientAuth {
  return (_as, client, _body, headers) => {
    if (typeof secret !== 'string' || !secret) throw new IpcError('AUTH_FAILED', 'No client secret is available for client_secret_basic');
    const pair = `${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`);
  };
}

/** WebCrypto import parameters for a JWS algorithm (private_key_jwt). */
export function signingParams(alg: string): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.Algorithm | undefined {
  const hash = (bits: string) => `SHA-${bits}`;
  let m: RegExpExecArray | null;
  if ((m = /^RS(256|384|512)$/.exec(alg))) return { name: 'RSASSA-PKCS1-v1_5', hash: hash(m[1]!) };
  if ((m = /^PS(256|384|512)$/.exec(alg))) return { name: 'RSA-PSS', hash: hash(m[1]!) };
  if (alg === 'ES256') return { name: 'ECDSA', namedCurve: 'P-256' };
  if (alg === 'ES384') return { name: 'ECDSA', namedCurve: 'P-384' };
  if (alg === 'ES512') return { name: 'ECDSA', namedCurve: 'P-521' };
  if (alg === 'Ed25519' || alg === 'EdDSA') return { name: 'Ed25519' };
  return undefined;
}

/** The JWS algorithm a private key implies (EC by curve; RSA: RS256; RSA-PSS: PS256; Ed25519). */
function inferSigningAlgorithm(key: KeyObject): string | undefined {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'Ed25519';
    case 'ec':
      return ({ prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' } as Record<string, string>)[key.asymmetricKeyDetails?.namedCurve ?? ''];
    default:
      return undefined;
  }
}

/**
 * Imports a PEM private key for private_key_jwt as a non-extractable CryptoKey.
 * Errors never echo the key.
 */
async function importSigningKey(pem: string, alg?: string): Promise<{ key: webcrypto.CryptoKey; alg: string }> {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new IpcError('VALIDATION', 'The client private key is not a PEM private key (PKCS#8, PKCS#1 or SEC1)');
  }
  const chosen = alg || inferSigningAlgorithm(keyObject);
  const params = chosen ? signingParams(chosen) : undefined;
  if (!chosen || !params)
    throw new IpcError(
      'VALIDATION',
      `Unsupported signing algorithm for private_key_jwt: ${cleanText(chosen ?? keyObject.asymmetricKeyType ?? 'unknown key type', 40)}`,
    );
  try {
    const der = keyObject.export({ format: 'der', type: 'pkcs8' });
    return { key: await webcrypto.subtle.importKey('pkcs8', der, params, false, ['sign']), alg: chosen };
  } catch {
    throw new IpcError('VALIDATION', `The client private key cannot be used with ${chosen}`);
  }
}

/** True when the AS is on this machine over plain http (openid-client then needs allowInsecureRequests). */
export function isLoopbackAs(metadata: AuthorizationServerInfo): boolean {
  return [metadata.issuer, metadata.token_endpoint, metadata.authorization_endpoint, metadata.registration_endpoint, metadata.revocation_endpoint]
    .filter((u): u is string => Boolean(u))
    .some((u) => new URL(u).protocol === 'http:' && isLoopbackHost(new URL(u).hostname));
}

/** Token endpoint authentication for a pre-registered client: private_key_jwt, client_secret_basic/post, or none. */
export function preRegisteredAuth(
  server: AuthServerRef,
  metadata: AuthorizationServerInfo,
): { method: TokenEndpointAuthMethod; secret?: string; signingAlgorithm?: string } {
  const c = server.oauthClient!;
  if (c.privateKeyPem) return { method: 'private_key_jwt', secret: c.privateKeyPem, signingAlgorithm: c.signingAlgorithm || undefined };
  const secret = c.clientSecret || undefined;
  const supported = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  return { method: !secret ? 'none' : supported.includes('client_secret_basic') ? 'client_secret_basic' : 'client_secret_post', secret };
}

/** `secret` is the client secret, or for private_key_jwt the PEM private key. */
export async function configFor(
  ctx: AuthContext,
  metadata: AuthorizationServerInfo,
  clientId: string,
  method: TokenEndpointAuthMethod,
  secret: string | undefined,
  phase: HttpExchangePhase,
  serverId?: string,
  signingAlgorithm?: string,
): Promise<oidc.Configuration> {
  let clientAuth: oidc.ClientAuth;
  if (method === 'private_key_jwt') {
    if (!secret) throw new IpcError('AUTH_FAILED', 'No private key is available for private_key_jwt');
    clientAuth = oidc.PrivateKeyJwt((await importSigningKey(secret, signingAlgorithm)).key);
  } else clientAuth = method === 'none' ? oidc.None() : method === 'client_secret_basic' ? clientSecretBasic(secret) : oidc.ClientSecretPost(secret);
  const clientMeta: Partial<oidc.ClientMetadata> = { token_endpoint_auth_method: method };
  if (secret && (method === 'client_secret_basic' || method === 'client_secret_post')) clientMeta.client_secret = secret;
  const config = new oidc.Configuration(metadata as unknown as oidc.ServerMetadata, clientId, clientMeta, clientAuth);
  ctx.learn(serverId, secret);
  config[oidc.customFetch] = ctx.instrumented(phase, serverId) as unknown as oidc.CustomFetch;
  if (isLoopbackAs(metadata)) oidc.allowInsecureRequests(config);
  return config;
}

/** The configuration of a stored grant's client (refresh, revocation); its secret comes from the vault. */
export async function configForGrant(ctx: AuthContext, g: StoredGrant, phase: HttpExchangePhase): Promise<oidc.Configuration> {
  // Grants stored before remote servers were kept off this machine get the same check as new discovery.
  const context = { serverUrl: new URL(g.serverUrl) };
  assertSafeUrl(g.metadata.token_endpoint, 'auth-metadata', { ...context, what: 'token_endpoint' });
  if (g.metadata.revocation_endpoint) assertSafeUrl(g.metadata.revocation_endpoint, 'auth-metadata', { ...context, what: 'revocation_endpoint' });
  let secret: string | undefined;
  if (g.tokenEndpointAuthMethod !== 'none') {
    const r = await ctx.deps.vault.get(clientSecretKey(g.clientKey));
    if (r.status !== 'ok') throw new AuthRequiredError(g.serverId, 'The stored client secret cannot be read; sign in again');
    secret = r.value;
  }
  return configFor(ctx, g.metadata, g.clientId, g.tokenEndpointAuthMethod, secret, phase, g.serverId, g.signingAlgorithm);
}
