// The client under test for @modelcontextprotocol/conformance (`conformance client
// --command ...`). The runner appends the scenario server URL as the last argument
// and sets MCP_CONFORMANCE_SCENARIO (and MCP_CONFORMANCE_CONTEXT for scenarios that
// need data). Built on Switchboard's core: connectRemote for the transport, the
// AuthManager (vault with the key-file cipher + conf store in a temp dir) for OAuth,
// and the headless BrowserOpener that follows the authorization redirect into the
// real 127.0.0.1 loopback listener. Exit 0 on success, 1 on failure.
//
// Never prints tokens, secrets or the context JSON.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { AuthManager, AuthRequiredError, StepUpRequiredError, createHeadlessBrowser } from '../../electron/core/auth';
import type { AuthServerRef } from '../../electron/core/auth';
import { createConfStore } from '../../electron/core/node-ports/conf-store';
import { createKeyfileCipher } from '../../electron/core/node-ports/keyfile-cipher';
import { connectRemote, type RemoteSession } from '../../electron/core/remote/remote-connection';
import { Vault } from '../../electron/core/vault/vault';
import { conformanceClientFeatures, runScenario, type ScenarioContext } from './scenarios';

/** Authorization attempts allowed in one run (initial sign-in + step-ups); the spec says retry "only a few times". */
const MAX_AUTHORIZATIONS = 3;
const CIMD_URL = 'https://conformance-test.local/client-metadata.json';

interface Context {
  name?: string;
  client_id?: string;
  client_secret?: string;
  // auth/client-credentials-jwt
  private_key_pem?: string;
  signing_algorithm?: string;
  // auth/cross-app-access-complete-flow (SEP-990)
  idp_client_id?: string;
  idp_id_token?: string;
  idp_issuer?: string;
  idp_token_endpoint?: string;
  // auth/wif-jwt-bearer (SEP-1933): the workload's platform-issued JWT
  valid_jwt?: string;
}

function log(msg: string): void {
  process.stderr.write(`[switchboard-conformance] ${msg}\n`);
}

function errText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

async function main(): Promise<number> {
  const url = process.argv.at(-1);
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  if (!url || !/^https?:\/\//.test(url)) {
    log('usage: client.ts <server-url> (with MCP_CONFORMANCE_SCENARIO set)');
    return 2;
  }
  let ctx: Context = {};
  try {
    ctx = process.env.MCP_CONFORMANCE_CONTEXT ? (JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) as Context) : {};
  } catch {
    log('MCP_CONFORMANCE_CONTEXT is not JSON');
    return 2;
  }
  log(`scenario=${scenario} url=${url}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'sb-conformance-'));
  const store = createConfStore(dataDir);
  const vault = new Vault(createKeyfileCipher(join(dataDir, 'vault.key')), store);
  const browser = createHeadlessBrowser({ onNavigate: (s) => log(`browser ${s.status} ${s.url}`) });
  const auth = new AuthManager({ vault, store, browser, signInTimeoutMs: 15_000 });

  const server: AuthServerRef = { id: 'conformance', url, clientMetadataUrl: CIMD_URL };
  // The context describes the client the scenario's AS knows: a pre-registered one
  // (authorization code), a machine client (client_credentials, with a secret or a
  // private key), or an app registered for enterprise-managed authorization (SEP-990).
  if (ctx.client_id) {
    server.oauthClient = { clientId: ctx.client_id };
    if (ctx.client_secret) server.oauthClient.clientSecret = ctx.client_secret;
    if (ctx.private_key_pem) server.oauthClient.privateKeyPem = ctx.private_key_pem;
    if (ctx.signing_algorithm) server.oauthClient.signingAlgorithm = ctx.signing_algorithm;
    if (scenario.startsWith('auth/client-credentials-')) server.oauthClient.grantType = 'client_credentials';
  }
  // Workload identity: the JWT the platform issued to this workload is the jwt-bearer assertion.
  if (ctx.valid_jwt && server.oauthClient) server.workloadIdentity = { kind: 'value', value: ctx.valid_jwt };
  if (ctx.idp_token_endpoint && ctx.idp_client_id) {
    server.enterprise = { idpTokenEndpoint: ctx.idp_token_endpoint, idpClientId: ctx.idp_client_id };
    if (ctx.idp_issuer) server.enterprise.idpIssuer = ctx.idp_issuer;
  }

  let authorizations = 0;
  const signIn = async (error: AuthRequiredError | StepUpRequiredError): Promise<void> => {
    authorizations += 1;
    if (authorizations > MAX_AUTHORIZATIONS) throw new Error(`giving up after ${MAX_AUTHORIZATIONS} authorization attempts`);
    const stepUp = error instanceof StepUpRequiredError;
    log(`${stepUp ? 'step-up' : 'sign-in'} #${authorizations}`);
    const plan = await auth.prepareSignIn(server, { challenge: error.challenge, stepUp });
    log(`plan: grant=${plan.grantType} registration=${plan.registration} scopes=[${plan.scopes.join(' ')}] (${plan.scopeSource})`);
    // SEP-990: the ID token stands for the user's earlier sign-in at the enterprise IdP.
    const grant = await auth.completeSignIn(plan.planId, plan.grantType === 'jwt-bearer' ? { idToken: ctx.idp_id_token } : {});
    log(`granted scopes=[${grant.scopesGranted.join(' ')}]`);
  };
  const asAuthError = (e: unknown): AuthRequiredError | StepUpRequiredError | undefined =>
    e instanceof AuthRequiredError || e instanceof StepUpRequiredError ? e : undefined;
  /** Run `op`; on AUTH_REQUIRED / insufficient_scope sign in (capped) and retry. */
  const withAuth = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await op();
      } catch (e) {
        const authError = asAuthError(e);
        if (!authError) throw e;
        log(`${what}: ${authError.name}`);
        await signIn(authError);
      }
    }
  };

  // The app's own SDK client (client-features' clientFactory), with the user's part played here:
  // every elicitation accepted as-is (the SDK fills in the schema defaults, SEP-1034), every
  // sampling request declined.
  const makeClient = (): Client =>
    conformanceClientFeatures(store, url, (request, requests) => {
      if (request.kind === 'elicitation') requests.answerElicitation(request.requestId, 'accept', {});
      else requests.answerSampling(request.requestId, 'decline');
    }).createClient('conformance');

  let client = makeClient();
  let session: RemoteSession | undefined;
  try {
    session = await withAuth('connect', async () => {
      client = makeClient();
      return connectRemote({
        url,
        mode: 'auto',
        headers: {},
        fetch: auth.fetchFor(server.id),
        client,
        timeoutMs: 15_000,
        onReconnected: (info) => log(`new session after 404: ${info.sessionId ?? '(none)'}`),
      });
    });
    log(`connected over ${session.transportKind}, protocol ${session.protocolVersion}`);
    const c = client;

    await runScenario(scenario, c, ctx as ScenarioContext, withAuth);
    log('done');
    return 0;
  } catch (e) {
    log(`failed: ${errText(e)}`);
    return 1;
  } finally {
    await session?.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`crashed: ${errText(e)}`);
    process.exit(1);
  },
);
