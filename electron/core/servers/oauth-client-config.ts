import { isAbsolute } from 'node:path';
import type { FieldErrors, HttpServerConfig } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { isLoopbackHost } from '../net/loopback';
import { vaultKey, type Vault } from '../vault';
import type { StoredHttpServer } from './server-repo';

// The pre-registered OAuth client of a remote server as the dialog sends it:
// its write-only secrets (client secret, private key, a pasted workload JWT,
// the enterprise IdP's client secret) go to the vault, everything else to the
// settings. A workload token file or variable is only named here: it is read
// at sign-in and renewal, never copied.

type OAuthClientInput = NonNullable<HttpServerConfig['oauthClient']>;
type StoredOAuthClient = NonNullable<StoredHttpServer['oauthClient']>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute URL, e.g. https://login.example.com';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'Use https (plain http only on this computer)';
}

/** Writes (or deletes) one write-only value: undefined keeps, '' clears. */
async function putOrClear(vault: Vault, key: string, value: string | undefined): Promise<void> {
  if (value === '') vault.delete(key);
  else if (value !== undefined) await vault.put(key, value);
}

/** Validates, stores the secrets in the vault, returns what settings keep. Throws VALIDATION with field errors. */
export async function storeOAuthClient(vault: Vault, id: string, input: OAuthClientInput | undefined): Promise<StoredOAuthClient | undefined> {
  const keys = {
    secret: vaultKey.oauthClientSecret(id),
    privateKey: vaultKey.oauthPrivateKey(id),
    workloadToken: vaultKey.oauthWorkloadToken(id),
    idpSecret: vaultKey.oauthIdpClientSecret(id),
  };
  if (!input) {
    for (const key of Object.values(keys)) vault.delete(key);
    return undefined;
  }
  const errors: FieldErrors = {};
  const { grantType } = input;
  const wt = grantType === 'workload_identity' ? input.workloadToken : undefined;
  const ent = grantType === 'enterprise' ? input.enterprise : undefined;
  if (grantType === 'workload_identity') {
    if (!wt) errors.workloadTokenSource = 'Choose where the workload token comes from.';
    else if (wt.source === 'file' && !(wt.path && isAbsolute(wt.path))) errors.workloadTokenPath = 'Enter the absolute path of the token file.';
    else if (wt.source === 'env' && !(wt.envVar && ENV_NAME.test(wt.envVar))) errors.workloadTokenEnv = 'Enter a variable name such as MCP_WORKLOAD_TOKEN.';
    else if (wt.source === 'stored' && !wt.value && !vault.has(keys.workloadToken)) errors.workloadTokenValue = 'Paste the workload token (a JWT).';
    else if (wt.source === 'stored' && wt.value && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*){2,4}$/.test(wt.value.trim()))
      errors.workloadTokenValue = 'This is not a JWT (three dot-separated base64url parts).';
  }
  if (grantType === 'enterprise') {
    if (!ent) errors.idpIssuer = 'Enter the identity provider.';
    else {
      const issuerProblem = ent.idpIssuer ? httpUrlProblem(ent.idpIssuer) : 'Enter the identity provider’s issuer URL.';
      if (issuerProblem) errors.idpIssuer = issuerProblem;
      const tokenProblem = ent.idpTokenEndpoint ? httpUrlProblem(ent.idpTokenEndpoint) : undefined;
      if (tokenProblem) errors.idpTokenEndpoint = tokenProblem;
    }
  }
  if (Object.keys(errors).length) throw new IpcError('VALIDATION', 'Check the sign-in settings.', errors);

  await putOrClear(vault, keys.secret, input.clientSecret);
  await putOrClear(vault, keys.privateKey, input.privateKeyPem);
  if (wt?.source === 'stored') await putOrClear(vault, keys.workloadToken, wt.value?.trim());
  else vault.delete(keys.workloadToken);
  if (ent) await putOrClear(vault, keys.idpSecret, ent.idpClientSecret);
  else vault.delete(keys.idpSecret);

  const hasClientSecret = vault.has(keys.secret);
  const hasPrivateKey = vault.has(keys.privateKey);
  if (grantType === 'client_credentials' && !hasClientSecret && !hasPrivateKey)
    throw new IpcError('VALIDATION', 'Client credentials need a client secret or a private key.', {
      clientSecret: 'Enter the client secret (or a private key) for machine sign-in.',
    });
  const stored: StoredOAuthClient = {
    clientId: input.clientId,
    scopes: input.scopes || undefined,
    hasClientSecret,
    hasPrivateKey,
    grantType,
  };
  if (wt)
    stored.workloadToken = {
      source: wt.source,
      ...(wt.source === 'file' ? { path: wt.path } : {}),
      ...(wt.source === 'env' ? { envVar: wt.envVar } : {}),
      hasValue: wt.source === 'stored' && vault.has(keys.workloadToken),
    };
  if (ent)
    stored.enterprise = {
      idpIssuer: ent.idpIssuer,
      ...(ent.idpTokenEndpoint ? { idpTokenEndpoint: ent.idpTokenEndpoint } : {}),
      idpClientId: ent.idpClientId,
      hasIdpClientSecret: vault.has(keys.idpSecret),
    };
  return stored;
}
