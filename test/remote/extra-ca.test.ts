import { describe, expect, it } from 'vitest';
import { applyExtraCaCertificates } from '../../electron/core/tls/extra-ca';
import { startSelfSignedHttps } from '../fixtures/remote/servers';
import { useCleanup } from '../helpers/cleanup';

// Runs in its own worker process (vitest forks): the default trust store is process-wide.
const track = useCleanup();

describe('NODE_EXTRA_CA_CERTS from the login shell', () => {
  it('is trusted after we apply it, as a terminal would', async () => {
    const server = track(await startSelfSignedHttps());
    await expect(fetch(server.url)).rejects.toThrow();
    expect(applyExtraCaCertificates({ NODE_EXTRA_CA_CERTS: server.certPath }, {})).toEqual({ applied: true, count: 1 });
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
  });

  it('does nothing when the process already has it, and reports a bad file', () => {
    expect(applyExtraCaCertificates({ NODE_EXTRA_CA_CERTS: '/x.pem' }, { NODE_EXTRA_CA_CERTS: '/x.pem' })).toEqual({ applied: false });
    expect(applyExtraCaCertificates({ NODE_EXTRA_CA_CERTS: '/no/such/file.pem' }, {}).error).toContain('/no/such/file.pem');
  });
});
