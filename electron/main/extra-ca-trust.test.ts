import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERT_AUTHORITY_INVALID, chainsToExtraCa, trustExtraCas, type PresentedCertificate } from './extra-ca-trust';

// Real certificates made with the openssl CLI: a corporate CA, a server
// certificate it issued, an intermediate chain, and a CA nobody trusts.

const run = promisify(execFile);
let dir = '';
const pem: Record<string, string> = {};

async function makeCa(name: string, signer?: string) {
  const key = join(dir, `${name}.key`);
  if (!signer) {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      join(dir, `${name}.pem`),
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
  } else {
    await run('openssl', [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      join(dir, `${name}.csr`),
      '-subj',
      `/CN=${name}`,
    ]);
    writeFileSync(join(dir, `${name}.ext`), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      join(dir, `${name}.csr`),
      '-CA',
      join(dir, `${signer}.pem`),
      '-CAkey',
      join(dir, `${signer}.key`),
      '-CAcreateserial',
      '-out',
      join(dir, `${name}.pem`),
      '-days',
      '2',
      '-extfile',
      join(dir, `${name}.ext`),
    ]);
  }
  pem[name] = readFileSync(join(dir, `${name}.pem`), 'utf8');
}

async function makeLeaf(name: string, signer: string, san: string) {
  await run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, `${name}.key`),
    '-out',
    join(dir, `${name}.csr`),
    '-subj',
    '/CN=server',
  ]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    join(dir, `${name}.csr`),
    '-CA',
    join(dir, `${signer}.pem`),
    '-CAkey',
    join(dir, `${signer}.key`),
    '-CAcreateserial',
    '-out',
    join(dir, `${name}.pem`),
    '-days',
    '1',
    '-extfile',
    join(dir, `${name}.ext`),
  ]);
  pem[name] = readFileSync(join(dir, `${name}.pem`), 'utf8');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-extra-ca-'));
  await makeCa('corp-ca');
  await makeCa('other-ca');
  await makeCa('corp-intermediate', 'corp-ca');
  await makeLeaf('leaf', 'corp-ca', 'DNS:mcp.corp.example,IP:127.0.0.1');
  await makeLeaf('via-intermediate', 'corp-intermediate', 'DNS:mcp.corp.example');
  await makeLeaf('leaf-by-other', 'other-ca', 'DNS:mcp.corp.example');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'self.key'),
    '-out',
    join(dir, 'self.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=self',
    '-addext',
    'subjectAltName=DNS:self.corp.example',
  ]);
  pem.self = readFileSync(join(dir, 'self.pem'), 'utf8');
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const presented = (...names: string[]): PresentedCertificate => {
  const [first, ...rest] = names;
  return { data: pem[first!]!, ...(rest.length ? { issuerCert: presented(...rest) } : {}) };
};

describe('NODE_EXTRA_CA_CERTS in the app (a certificate verifier for Chromium)', () => {
  it('accepts a server certificate issued by an extra CA, for the names it carries', () => {
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf'), [pem['corp-ca']!])).toBe(true);
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf', 'corp-ca'), [pem['corp-ca']!])).toBe(true);
    expect(chainsToExtraCa('127.0.0.1', presented('leaf'), [pem['corp-ca']!])).toBe(true);
    expect(chainsToExtraCa('mcp.corp.example', presented('via-intermediate', 'corp-intermediate'), [pem['corp-ca']!])).toBe(true);
    // A self-signed server whose own certificate is in the file (Node trusts that too)...
    expect(chainsToExtraCa('self.corp.example', presented('self'), [pem.self!])).toBe(true);
    // ...but a certificate without a subjectAltName names no host (Chromium ignores the CN, and so do we).
    expect(chainsToExtraCa('corp-ca', presented('corp-ca'), [pem['corp-ca']!])).toBe(false);
  });

  it('refuses another host name, an untrusted issuer, a forged chain and certificates out of their validity period', () => {
    expect(chainsToExtraCa('evil.example', presented('leaf'), [pem['corp-ca']!])).toBe(false);
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf-by-other', 'other-ca'), [pem['corp-ca']!])).toBe(false);
    // The server claims corp-ca issued a certificate that other-ca signed.
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf-by-other', 'corp-ca'), [pem['corp-ca']!])).toBe(false);
    expect(chainsToExtraCa('mcp.corp.example', presented('via-intermediate'), [pem['corp-ca']!])).toBe(false); // intermediate missing
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf'), [pem['corp-ca']!], Date.now() + 5 * 86_400_000)).toBe(false);
    expect(chainsToExtraCa('mcp.corp.example', presented('leaf'), [])).toBe(false);
    expect(chainsToExtraCa('mcp.corp.example', { data: 'not a certificate' }, [pem['corp-ca']!])).toBe(false);
  });

  it('overrides Chromium only for an unknown issuer, never for other certificate errors', () => {
    let proc: ((request: never, callback: (result: number) => void) => void) | undefined;
    trustExtraCas({ setCertificateVerifyProc: (p) => (proc = p as typeof proc) }, () => [pem['corp-ca']!]);
    const verdict = (errorCode: number, hostname = 'mcp.corp.example') => {
      let result: number | undefined;
      proc!(
        {
          hostname,
          certificate: presented('leaf'),
          errorCode,
          verificationResult: '',
          isIssuedByKnownRoot: false,
          validatedCertificate: presented('leaf'),
        } as never,
        (r) => (result = r),
      );
      return result;
    };
    expect(verdict(CERT_AUTHORITY_INVALID)).toBe(0);
    expect(verdict(CERT_AUTHORITY_INVALID, 'evil.example')).toBe(-3);
    expect(verdict(0)).toBe(-3); // Chromium already trusts it
    expect(verdict(-200)).toBe(-3); // ERR_CERT_COMMON_NAME_INVALID stays an error
    expect(verdict(-201)).toBe(-3); // ERR_CERT_DATE_INVALID stays an error
  });
});
