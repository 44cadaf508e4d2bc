import { readFileSync } from 'node:fs';
import tls from 'node:tls';

// Node reads NODE_EXTRA_CA_CERTS once, at process start. A GUI app starts
// without the login shell's environment, so a corporate CA configured in
// ~/.zshrc would be ignored: when the shell has it and we do not, add those
// certificates to the default trust store ourselves (fetch uses it too).

export interface ExtraCaResult {
  applied: boolean;
  count?: number;
  error?: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function applyExtraCaCertificates(shellEnv: NodeJS.ProcessEnv, processEnv: NodeJS.ProcessEnv = process.env): ExtraCaResult {
  const file = shellEnv.NODE_EXTRA_CA_CERTS;
  if (!file || file === processEnv.NODE_EXTRA_CA_CERTS) return { applied: false };
  try {
    const certs = readFileSync(file, 'utf8').match(PEM) ?? [];
    if (!certs.length) return { applied: false, error: `${file} contains no PEM certificates` };
    tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...certs]);
    return { applied: true, count: certs.length };
  } catch (error) {
    return { applied: false, error: `Could not use NODE_EXTRA_CA_CERTS (${file}): ${(error as Error).message}` };
  }
}
