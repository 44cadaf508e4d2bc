// What a user types as a remote server's address, made into a URL before it is
// saved (and shown, so nothing changes silently): `localhost:3000/mcp` gets
// http:// (plain http is only for this machine), anything else without a scheme
// gets https://. The core's URL guard still judges the result.

const LOOPBACK = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';

export function normalizeServerUrl(input: string): { url: string; added?: 'http' | 'https' } {
  const text = input.trim();
  if (!text || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return { url: text };
  // Something with a scheme but no "//" (mailto:, javascript:) is left alone for the guard to refuse,
  // except host:port, which is what people type for a local server.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)/.test(text)) return { url: text };
  let host: string;
  try {
    host = new URL(`http://${text}`).hostname;
  } catch {
    return { url: text };
  }
  const scheme = LOOPBACK(host) ? 'http' : 'https';
  return { url: `${scheme}://${text}`, added: scheme };
}
