import { isSecretKey, looksLikeOpaqueToken, redactString } from '../traffic';

// Which imported values to offer as vault secrets. The same detectors that keep
// secrets out of history and traffic: a secret-looking name (API_KEY,
// Authorization), a credential inside the value (Bearer …, ghp_…, a URL
// password), or a value that on its own looks like a random token.

export function looksSecret(name: string, value: string): boolean {
  if (!value) return false;
  return isSecretKey(name) || looksLikeOpaqueToken(value) || redactString(value) !== value;
}
