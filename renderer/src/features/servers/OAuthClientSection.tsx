import type { HttpServerInput, OAuthGrantType, ServerView } from '../../api';
import { Field, type FieldErrors } from './fields';

// The server dialog's OAuth section: the pre-registered client and how Switchboard
// signs in with it (browser, client credentials, workload identity, enterprise IdP).
// Secrets (client secret, private key, a pasted workload token, the IdP's client
// secret) are write-only: a stored one shows as stored and is kept unless replaced.
// A workload token file or variable is only named; it is read at each sign-in.

type ExistingClient = Extract<ServerView['config'], { transport: 'http' }>['oauthClient'];
type WorkloadSource = 'file' | 'env' | 'stored';

export interface OAuthForm {
  clientId: string;
  clientSecret: string;
  scopes: string;
  grantType: OAuthGrantType;
  privateKeyPem: string;
  workloadSource: WorkloadSource;
  workloadPath: string;
  workloadEnv: string;
  workloadValue: string;
  idpIssuer: string;
  idpTokenEndpoint: string;
  idpClientId: string;
  idpClientSecret: string;
}

export function initialOAuthForm(existing: ExistingClient): OAuthForm {
  return {
    clientId: existing?.clientId ?? '',
    clientSecret: '',
    scopes: existing?.scopes ?? '',
    grantType: existing?.grantType ?? 'authorization_code',
    privateKeyPem: '',
    workloadSource: existing?.workloadToken?.source ?? 'file',
    workloadPath: existing?.workloadToken?.path ?? '',
    workloadEnv: existing?.workloadToken?.envVar ?? '',
    workloadValue: '',
    idpIssuer: existing?.enterprise?.idpIssuer ?? '',
    idpTokenEndpoint: existing?.enterprise?.idpTokenEndpoint ?? '',
    idpClientId: existing?.enterprise?.idpClientId ?? '',
    idpClientSecret: '',
  };
}

/** The oauthClient of the server input (undefined without a client id). Empty write-only fields keep what is stored. */
export function oauthClientInput(f: OAuthForm): HttpServerInput['oauthClient'] {
  if (!f.clientId.trim()) return undefined;
  return {
    clientId: f.clientId.trim(),
    scopes: f.scopes.trim() || undefined,
    grantType: f.grantType,
    ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}),
    ...(f.privateKeyPem ? { privateKeyPem: f.privateKeyPem } : {}),
    ...(f.grantType === 'workload_identity'
      ? {
          workloadToken: {
            source: f.workloadSource,
            ...(f.workloadSource === 'file' ? { path: f.workloadPath.trim() } : {}),
            ...(f.workloadSource === 'env' ? { envVar: f.workloadEnv.trim() } : {}),
            ...(f.workloadSource === 'stored' && f.workloadValue.trim() ? { value: f.workloadValue.trim() } : {}),
          },
        }
      : {}),
    ...(f.grantType === 'enterprise'
      ? {
          enterprise: {
            idpIssuer: f.idpIssuer.trim(),
            idpTokenEndpoint: f.idpTokenEndpoint.trim() || undefined,
            idpClientId: f.idpClientId.trim(),
            ...(f.idpClientSecret ? { idpClientSecret: f.idpClientSecret } : {}),
          },
        }
      : {}),
  };
}

const SOURCES: { value: WorkloadSource; label: string }[] = [
  { value: 'file', label: 'Token file' },
  { value: 'env', label: 'Environment variable' },
  { value: 'stored', label: 'Paste a token' },
];

export function OAuthClientSection({
  form,
  onChange,
  existing,
  errors,
}: {
  form: OAuthForm;
  onChange: (patch: Partial<OAuthForm>) => void;
  existing: ExistingClient;
  errors: FieldErrors;
}) {
  const g = form.grantType;
  return (
    <fieldset className="kv">
      <legend>Pre-registered OAuth client (optional)</legend>
      <Field
        label="Client ID"
        error={errors.clientId}
        hint={g === 'enterprise' ? "Switchboard's client ID at the MCP server's authorization server." : undefined}
      >
        {(p) => <input {...p} value={form.clientId} spellCheck={false} onChange={(e) => onChange({ clientId: e.target.value })} />}
      </Field>
      <Field label="Sign-in method">
        {(p) => (
          <select {...p} value={g} onChange={(e) => onChange({ grantType: e.target.value as OAuthGrantType })}>
            <option value="authorization_code">A person signs in in the browser (authorization code + PKCE)</option>
            <option value="client_credentials">Switchboard signs in as this client, no browser (client credentials)</option>
            <option value="workload_identity">Workload identity (JWT bearer), no browser</option>
            <option value="enterprise">Enterprise identity provider (cross-app access)</option>
          </select>
        )}
      </Field>
      <Field
        label="Client secret"
        error={errors.clientSecret}
        hint={
          existing?.hasClientSecret
            ? 'A secret is stored; type to replace it.'
            : g === 'workload_identity'
              ? 'Usually empty: the workload token proves who you are.'
              : 'Leave empty for a public client.'
        }
      >
        {(p) => <input {...p} type="password" value={form.clientSecret} onChange={(e) => onChange({ clientSecret: e.target.value })} />}
      </Field>
      {g === 'client_credentials' && (
        <Field
          label="Private key (PEM)"
          hint={existing?.hasPrivateKey ? 'A key is stored; paste to replace it.' : 'Optional: authenticate with private_key_jwt instead of the secret.'}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={form.privateKeyPem}
              spellCheck={false}
              placeholder="-----BEGIN PRIVATE KEY-----"
              onChange={(e) => onChange({ privateKeyPem: e.target.value })}
            />
          )}
        </Field>
      )}
      {g === 'workload_identity' && <WorkloadFields form={form} onChange={onChange} existing={existing} errors={errors} />}
      {g === 'enterprise' && <EnterpriseFields form={form} onChange={onChange} existing={existing} errors={errors} />}
      <Field label="Scopes" hint="Space-separated; leave empty to use what the server asks for.">
        {(p) => <input {...p} value={form.scopes} spellCheck={false} onChange={(e) => onChange({ scopes: e.target.value })} />}
      </Field>
    </fieldset>
  );
}

type SectionProps = { form: OAuthForm; onChange: (patch: Partial<OAuthForm>) => void; existing: ExistingClient; errors: FieldErrors };

function WorkloadFields({ form, onChange, existing, errors }: SectionProps) {
  const stored = existing?.workloadToken?.source === 'stored' && existing.workloadToken.hasValue;
  return (
    <fieldset className="kv" aria-describedby="workload-token-hint">
      <legend>Workload token</legend>
      <p className="hint" id="workload-token-hint">
        The JWT your platform issues to this workload (for example a Kubernetes projected service-account token or a SPIFFE JWT-SVID). Switchboard presents it
        to the authorization server and asks for a new access token with it whenever one expires.
      </p>
      <div role="radiogroup" aria-label="Workload token source" className="segmented">
        {SOURCES.map((s) => (
          <label key={s.value} className={form.workloadSource === s.value ? 'active' : ''}>
            <input
              type="radio"
              name="workload-source"
              value={s.value}
              checked={form.workloadSource === s.value}
              onChange={() => onChange({ workloadSource: s.value })}
            />{' '}
            {s.label}
          </label>
        ))}
      </div>
      {errors.workloadTokenSource && <p className="field-error">{errors.workloadTokenSource}</p>}
      {form.workloadSource === 'file' && (
        <Field
          label="Token file path"
          error={errors.workloadTokenPath}
          hint="Absolute path; read at every sign-in and renewal (the platform rotates it), never copied."
        >
          {(p) => (
            <input
              {...p}
              value={form.workloadPath}
              spellCheck={false}
              placeholder="/var/run/secrets/tokens/mcp-token"
              onChange={(e) => onChange({ workloadPath: e.target.value })}
            />
          )}
        </Field>
      )}
      {form.workloadSource === 'env' && (
        <Field
          label="Variable name"
          error={errors.workloadTokenEnv}
          hint="A variable of Switchboard's environment holding the JWT, or the path of a file holding it (like AZURE_FEDERATED_TOKEN_FILE)."
        >
          {(p) => (
            <input
              {...p}
              value={form.workloadEnv}
              spellCheck={false}
              placeholder="MCP_WORKLOAD_TOKEN_FILE"
              onChange={(e) => onChange({ workloadEnv: e.target.value })}
            />
          )}
        </Field>
      )}
      {form.workloadSource === 'stored' && (
        <Field
          label="Workload token (JWT)"
          error={errors.workloadTokenValue}
          hint={stored ? 'A token is stored encrypted; paste to replace it.' : 'Stored encrypted in the vault. A pasted token is not renewed when it expires.'}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={form.workloadValue}
              spellCheck={false}
              placeholder={stored ? 'stored securely (paste to replace)' : 'eyJ…'}
              onChange={(e) => onChange({ workloadValue: e.target.value })}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}

function EnterpriseFields({ form, onChange, existing, errors }: SectionProps) {
  return (
    <fieldset className="kv" aria-describedby="enterprise-idp-hint">
      <legend>Enterprise identity provider</legend>
      <p className="hint" id="enterprise-idp-hint">
        You sign in to your organization&apos;s identity provider in the browser; it then issues an identity assertion for this server, which the server&apos;s
        authorization server exchanges for an access token. Register http://127.0.0.1/callback (any port) as a redirect URI at the identity provider.
      </p>
      <Field label="Identity provider issuer URL" error={errors.idpIssuer} hint="Its OpenID configuration gives the sign-in page and the token endpoint.">
        {(p) => (
          <input
            {...p}
            value={form.idpIssuer}
            spellCheck={false}
            placeholder="https://login.example.com"
            onChange={(e) => onChange({ idpIssuer: e.target.value })}
          />
        )}
      </Field>
      <Field label="Token endpoint (optional)" error={errors.idpTokenEndpoint} hint="Only if the token exchange is not at the issuer's token endpoint.">
        {(p) => <input {...p} value={form.idpTokenEndpoint} spellCheck={false} onChange={(e) => onChange({ idpTokenEndpoint: e.target.value })} />}
      </Field>
      <Field label="Client ID at the identity provider" error={errors.idpClientId}>
        {(p) => <input {...p} value={form.idpClientId} spellCheck={false} onChange={(e) => onChange({ idpClientId: e.target.value })} />}
      </Field>
      <Field
        label="Client secret at the identity provider"
        hint={existing?.enterprise?.hasIdpClientSecret ? 'A secret is stored; type to replace it.' : 'Stored encrypted. Leave empty for a public client.'}
      >
        {(p) => <input {...p} type="password" value={form.idpClientSecret} onChange={(e) => onChange({ idpClientSecret: e.target.value })} />}
      </Field>
    </fieldset>
  );
}
