// JSON from a link is hostile: strict JSON.parse (no comments, no trailing
// commas), and a key that could reach a prototype refuses the whole payload,
// so nothing downstream ever sees `__proto__`, `constructor` or `prototype`.

const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseLinkJson(text: string): JsonParse {
  let poisoned: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, function reviver(key, v: unknown) {
      if (POISON_KEYS.has(key)) poisoned = key;
      return v;
    });
  } catch (error) {
    return { ok: false, reason: `the server description is not valid JSON (${(error as Error).message.slice(0, 120)})` };
  }
  if (poisoned) return { ok: false, reason: `the server description contains a "${poisoned}" key, which is never valid` };
  return { ok: true, value };
}

/** Strict base64 or base64url (Cursor's `config`); `+` may have turned into a space in a query string. */
export function decodeBase64(text: string): string | undefined {
  const s = text.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s) || s.length === 0) return undefined;
  const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
