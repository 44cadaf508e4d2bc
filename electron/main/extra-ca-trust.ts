import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Session } from 'electron';

// Chromium's network stack trusts the OS store, not NODE_EXTRA_CA_CERTS. A user
// who set that variable (in their shell profile: the core applies it to Node's
// default CA list at startup) expects those CAs to be trusted for MCP and OAuth
// requests too, so a certificate Chromium rejects *only* because it does not
// know the issuer is accepted when we can verify it ourselves: the leaf names
// the host, every certificate is in its validity period, each one is signed by
// the next, and the chain ends at one of those extra CA certificates.

/** Chromium's net::ERR_CERT_AUTHORITY_INVALID. */
export const CERT_AUTHORITY_INVALID = -202;
/** setCertificateVerifyProc results: accept, or keep Chromium's own verdict. */
const ACCEPT = 0;
const USE_CHROMIUM_RESULT = -3;
const MAX_CHAIN = 10;

/** The shape of Electron's Certificate we need: PEM data and the issuer the server presented. */
export interface PresentedCertificate {
  data: string;
  issuerCert?: PresentedCertificate;
}

let bundled: Set<string> | undefined;

/** CA certificates Node trusts beyond its bundled roots: NODE_EXTRA_CA_CERTS (the process's or the login shell's). */
export function extraCaCertificates(): string[] {
  if (typeof tls.getCACertificates !== 'function') return [];
  bundled ??= new Set(tls.getCACertificates('bundled'));
  return tls.getCACertificates('default').filter((pem) => !bundled!.has(pem));
}

function parse(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

const inValidity = (c: X509Certificate, now: number) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo);

/** True when the presented chain verifies for `hostname` up to one of `extraCas` (PEM). */
export function chainsToExtraCa(hostname: string, presented: PresentedCertificate, extraCas: string[], now = Date.now()): boolean {
  const anchors = extraCas.map(parse).filter((c): c is X509Certificate => Boolean(c));
  if (!anchors.length) return false;
  const chain: X509Certificate[] = [];
  for (let c: PresentedCertificate | undefined = presented; c && chain.length < MAX_CHAIN; c = c.issuerCert) {
    const cert = parse(c.data);
    if (!cert) return false;
    chain.push(cert);
  }
  const leaf = chain[0];
  if (!leaf) return false;
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if ((isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host, { subject: 'never' })) === undefined) return false;
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    if (!inValidity(cert, now) || (i > 0 && !cert.ca)) return false;
    // The user's CA file may hold the certificate itself (a self-signed server) or its issuer.
    if (anchors.some((a) => a.fingerprint256 === cert.fingerprint256)) return true;
    if (anchors.some((a) => a.ca && inValidity(a, now) && cert.checkIssued(a) && cert.verify(a.publicKey))) return true;
    const next = chain[i + 1];
    if (!next || !cert.checkIssued(next) || !cert.verify(next.publicKey)) return false;
  }
  return false;
}

/** Makes the session accept server certificates issued by the extra CAs; every other verdict stays Chromium's. */
export function trustExtraCas(session: Pick<Session, 'setCertificateVerifyProc'>, extras: () => string[] = extraCaCertificates): void {
  session.setCertificateVerifyProc((request, callback) => {
    let ok = false;
    try {
      ok = request.errorCode === CERT_AUTHORITY_INVALID && chainsToExtraCa(request.hostname, request.certificate, extras());
    } catch {
      ok = false;
    }
    callback(ok ? ACCEPT : USE_CHROMIUM_RESULT);
  });
}
