import { IpcError } from '../../../shared/contract/errors';

// What the user typed for a remote server (URL and extra headers), checked before anything is sent.

const RESERVED_HEADERS = new Set([
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'content-type',
  'accept',
  'content-length',
  'host',
  'connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'keep-alive',
  'expect',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parse and check a remote server URL: http(s) only, a host, no embedded credentials. Throws IpcError VALIDATION. */
export function validateRemoteUrl(raw: string): URL {
  const fail = (message: string): never => {
    throw new IpcError('VALIDATION', message, { url: message });
  };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) fail('Enter the server URL, for example https://example.com/mcp.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? 'This is not a valid URL.' : 'This is not a valid URL; it must start with https:// or http://.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`Only http:// and https:// URLs are supported (got ${url.protocol.replace(/[^a-z0-9+.-:]/gi, '')}).`);
  if (!url.hostname) fail('The URL has no host name.');
  if (url.username || url.password) fail('Do not put credentials in the URL; add them as a (secret) header instead.');
  url.hash = '';
  return url;
}

/** Check user headers: valid names, no CR/LF/NUL in values, none of the headers the transport owns. Throws IpcError VALIDATION (naming the header, never its value). */
export function validateRemoteHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) throw new IpcError('VALIDATION', `"${name.slice(0, 64)}" is not a valid header name.`, { headers: 'invalid header name' });
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      throw new IpcError('VALIDATION', `The ${name} header is managed by Switchboard and cannot be set.`, { headers: `${name} is reserved` });
    if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      throw new IpcError('VALIDATION', `The value of header ${name} contains line breaks or NUL characters.`, { headers: `${name} has an invalid value` });
    out[name] = value;
  }
  return out;
}
