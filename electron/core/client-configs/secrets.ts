import { isSecretKey, looksLikeOpaqueToken, redactString } from '../traffic';

// Which imported values to offer as vault secrets. The same detectors that keep
// secrets out of history and traffic: a secret-looking name (API_KEY,
// Authorization), a credential inside the value (Bearer …, ghp_…, a URL
// password), or a value that on its own looks like a random token.

export function looksSecret(name: string, value: string): boolean {
  if (!value) return false;
  return isSecretKey(name) || looksLikeOpaqueToken(value) || redactString(value) !== value;
}

/**
 * A line of a config file shown in an export preview: the values being written
 * in plaintext, and anything else that looks secret (a token in another
 * server's entry), are masked. The file itself is not changed by this.
 */
export function maskLine(line: string, values: readonly string[]): string {
  let out = line;
  for (const v of values) if (v) out = out.split(v).join(MASK);
  // Every "name": "value" pair on the line (an env object is often written on one line).
  out = out.replace(/("([^"\\]{1,256})"\s*:\s*")((?:[^"\\]|\\.)*)"/g, (whole, head: string, name: string, value: string) =>
    value && value !== MASK && looksSecret(name, value) ? `${head}${MASK}"` : whole,
  );
  return redactString(out);
}

const MASK = '••••••';
