import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProtectedMcpServer, type ProtectedMcpServerFixture } from '../test/fixtures/auth/protected-mcp-server';
import { startWorkloadAuthServer, type WorkloadAuthServer } from '../test/fixtures/auth/workload-auth-server';
import { expect, test as appTest } from './fixtures';
import { filesUnder, openRemoteServerForm } from './helpers';

// Workload identity (SEP-1933) through the GUI: the server dialog names the
// workload's token file, the consent screen says where the JWT comes from, and
// Switchboard signs in with it (RFC 7523 jwt-bearer) without opening a browser.
// The MCP server is the SDK fixture that checks the access token's signature,
// issuer and audience against the authorization server's JWKS.

const test = appTest.extend<{ wl: WorkloadAuthServer & { jwksUri: string }; rs: ProtectedMcpServerFixture }>({
  wl: async ({}, use) => {
    const wl = await startWorkloadAuthServer({ jwtAccessTokens: true });
    await use(wl);
    await wl.as.close();
  },
  rs: async ({ wl }, use) => {
    const rs = await startProtectedMcpServer({ issuer: wl.as.origin, jwksUri: wl.jwksUri });
    await use(rs);
    await rs.close();
  },
});

test('workload identity: a token file configured in the dialog signs in without a browser', async ({ wl, rs, tempDir, app }) => {
  const { page, context } = app;
  const tokenFile = join(tempDir('workload'), 'mcp-token');
  const jwt = await wl.mint('system:serviceaccount:agents:switchboard');
  writeFileSync(tokenFile, jwt);
  const detail = page.getByRole('region', { name: 'Server Workload' });

  await test.step('configure the server with a workload token file', async () => {
    const dialog = await openRemoteServerForm(page, 'Workload', rs.url);
    await dialog.getByLabel('Client ID', { exact: true }).fill('workload-client');
    await dialog.getByLabel('Sign-in method').selectOption('workload_identity');
    await dialog.getByRole('radio', { name: 'Token file' }).check();
    await dialog.getByLabel('Token file path').fill(tokenFile);
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the consent screen names the token source; signing in opens nothing', async () => {
    await detail.getByRole('button', { name: 'Connect' }).click();
    await detail.getByRole('button', { name: 'Sign in' }).click();
    const consent = page.getByRole('dialog', { name: 'Sign in to Workload' });
    await expect(consent.getByTestId('consent-assertion-source')).toHaveText(`the file ${tokenFile}`);
    await expect(consent).toContainText("Switchboard signs in with the workload's token: no browser opens.");
    await consent.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(consent).toBeHidden();
    await expect(detail.getByRole('status', { name: 'Status: Connected' })).toBeVisible();
    expect(context.pages()).toHaveLength(1);
    expect(wl.assertions).toEqual([jwt]);
  });

  await test.step('the grant shows the method; neither the JWT nor the access token is on disk', async () => {
    await detail.getByRole('tab', { name: 'Sign-in' }).click();
    await expect(detail.getByText('workload identity (JWT bearer, no user)')).toBeVisible();
    const accessToken = rs.authorizationHeaders
      .filter(Boolean)
      .at(-1)!
      .replace(/^Bearer /, '');
    for (const file of filesUnder(app.dataDir)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(jwt);
      expect(text, file).not.toContain(accessToken);
    }
  });
});
