import { readFileSync } from 'node:fs';
import { startEnterpriseIdp, type EnterpriseIdpFixture } from '../test/fixtures/auth/enterprise-idp';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../test/fixtures/auth/protected-mcp-server';
import { startWorkloadAuthServer, type WorkloadAuthServer } from '../test/fixtures/auth/workload-auth-server';
import { expect, test as appTest } from './fixtures';
import { filesUnder, openRemoteServerForm } from './helpers';

// Enterprise-managed authorization (SEP-990) through the GUI: the IdP is set up
// in the server dialog, the consent screen names it and the exchange, the user
// signs in on the IdP's own pages in the page that opens, then Switchboard
// exchanges the ID token for an ID-JAG at the IdP and that for an access token at
// the MCP server's authorization server; the SDK fixture server checks the token.

const AS_SECRET = 'as-client-secret-0123456789';

const test = appTest.extend<{ idp: EnterpriseIdpFixture; as: WorkloadAuthServer & { jwksUri: string }; rs: ProtectedMcpServerFixture }>({
  idp: async ({}, use) => {
    const idp = await startEnterpriseIdp({ approval: 'interactive', clientIdAtAs: 'switchboard-at-as' });
    await use(idp);
    await idp.close();
  },
  as: async ({ idp }, use) => {
    const as = await startWorkloadAuthServer({
      jwtAccessTokens: true,
      assertionKey: { publicKey: idp.jagPublicKey, issuer: idp.issuer, typ: 'oauth-id-jag+jwt' },
      client: { id: 'switchboard-at-as', secret: AS_SECRET },
    });
    await use(as);
    await as.as.close();
  },
  rs: async ({ as }, use) => {
    const rs = await startProtectedMcpServer({ issuer: as.as.origin, jwksUri: as.jwksUri });
    await use(rs);
    await rs.close();
  },
});

test('enterprise IdP: configure it, read the consent, sign in at the IdP, the grant works', async ({ idp, as, rs, app }) => {
  const { page, context } = app;
  const detail = page.getByRole('region', { name: 'Server Corp' });
  const consent = page.getByRole('dialog', { name: 'Sign in to Corp' });

  await test.step('configure the enterprise IdP in the server dialog', async () => {
    const dialog = await openRemoteServerForm(page, 'Corp', rs.url);
    await dialog.getByLabel('Client ID', { exact: true }).fill('switchboard-at-as');
    await dialog.getByLabel('Sign-in method').selectOption('enterprise');
    await dialog.getByLabel('Client secret', { exact: true }).fill(AS_SECRET);
    await dialog.getByLabel('Identity provider issuer URL').fill(idp.issuer);
    await dialog.getByLabel('Client ID at the identity provider').fill(idp.clientId);
    await dialog.getByLabel('Client secret at the identity provider').fill(idp.clientSecret);
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the consent screen names the IdP and the exchange', async () => {
    await detail.getByRole('button', { name: 'Connect' }).click();
    await detail.getByRole('button', { name: 'Sign in' }).click();
    await expect(consent.getByTestId('consent-idp')).toHaveText(idp.issuer);
    await expect(consent.getByTestId('consent-issuer')).toHaveText(as.as.origin);
    await expect(consent).toContainText('token exchange');
    expect(context.pages()).toHaveLength(1);
  });

  await test.step("sign in on the IdP's own pages", async () => {
    const [tab] = await Promise.all([context.waitForEvent('page'), consent.getByRole('button', { name: 'Continue in browser' }).click()]);
    await tab.waitForLoadState();
    await tab.waitForURL((u) => u.origin === idp.issuer);
    await tab.locator('input[name="login"]').fill('carol');
    await tab.locator('input[name="password"]').fill('correct horse');
    await tab.locator('button[type="submit"]').click();
    await tab.getByRole('button', { name: /continue/i }).click();
    await expect(tab.locator('body')).toContainText('Switchboard');
    await expect(consent).toBeHidden();
    await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
    expect(idp.exchanges).toEqual([expect.objectContaining({ audience: as.as.origin, resource: rs.url })]);
  });

  await test.step('the grant shows the method; no secret or token on disk', async () => {
    await detail.getByRole('tab', { name: 'Sign-in' }).click();
    await expect(detail.getByText('enterprise identity provider (token exchange, then JWT bearer)')).toBeVisible();
    const accessToken = rs.authorizationHeaders
      .filter(Boolean)
      .at(-1)!
      .replace(/^Bearer /, '');
    for (const file of filesUnder(app.dataDir)) {
      const text = readFileSync(file, 'utf8');
      for (const secret of [AS_SECRET, idp.clientSecret, accessToken]) expect(text, file).not.toContain(secret);
    }
  });
});
