import { buildAllowAttribute, type McpUiResourcePermissions } from '@modelcontextprotocol/ext-apps/app-bridge';
import { isLoopbackHost } from '../net/loopback';

// The frame's Content-Security-Policy, built from the resource's `_meta.ui.csp`
// (connectDomains, resourceDomains, frameDomains, baseUriDomains). The default
// is the spec's restrictive one: inline script and style only, no network, no
// nested frames. A server can only add origins to the lists below, one
// validated origin at a time; it can never add a keyword ('unsafe-eval',
// 'self', *), a scheme source (data:, blob:, https:), a path, or a second
// directive (no spaces, quotes, semicolons or commas get through the pattern).

export interface AppCspInput {
  connectDomains?: unknown;
  resourceDomains?: unknown;
  frameDomains?: unknown;
  baseUriDomains?: unknown;
}

export interface BuiltCsp {
  csp: string;
  /** Entries refused, with the reason ("connectDomains: * is not an origin"). */
  refused: string[];
}

const MAX_DOMAINS = 32;
const MAX_LENGTH = 300;
/** scheme://[*.]host[:port] — a DNS name (letters, digits, hyphens), an IPv4 literal, or a bracketed IPv6 literal. */
const SOURCE =
  /^(https|wss|http|ws):\/\/(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/;

/**
 * One origin from a server's list, or why not. `serverIsLocal`: the app's server runs on this machine;
 * only then may its app reach this machine (plain http/ws is allowed only there, for local development).
 */
export function checkSource(raw: unknown, serverIsLocal: boolean): { source: string } | { why: string } {
  if (typeof raw !== 'string') return { why: 'not a string' };
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
  if (raw.length === 0 || raw.length > MAX_LENGTH) return { why: `${shown} is empty or too long` };
  const value = raw.toLowerCase();
  const match = SOURCE.exec(value);
  if (!match) return { why: `${shown} is not an origin (scheme://host[:port]; keywords, wildcards and paths are not allowed)` };
  const [, scheme, wildcard, host, port] = match as unknown as [string, string, string | undefined, string, string | undefined];
  if (port && Number(port.slice(1)) > 65535) return { why: `${shown} has an invalid port` };
  if (wildcard && (host.startsWith('[') || /^[\d.]+$/.test(host) || !host.includes('.')))
    return { why: `${shown}: a wildcard must be followed by a domain with at least two labels (https://*.example.com)` };
  const local = isLoopbackHost(host) || host === '0.0.0.0' || host.endsWith('.localhost');
  if (local && !serverIsLocal) return { why: `${shown} points at this computer, but the server is not on this computer` };
  if ((scheme === 'http' || scheme === 'ws') && !local) return { why: `${shown}: plain ${scheme} is only allowed on this computer` };
  return { source: `${scheme}://${wildcard ?? ''}${host}${port ?? ''}` };
}

function sources(list: unknown, name: string, serverIsLocal: boolean, refused: string[]): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    refused.push(`${name}: not a list`);
    return [];
  }
  if (list.length > MAX_DOMAINS) refused.push(`${name}: only the first ${MAX_DOMAINS} entries are considered`);
  const out: string[] = [];
  for (const raw of list.slice(0, MAX_DOMAINS)) {
    const checked = checkSource(raw, serverIsLocal);
    if ('source' in checked) {
      if (!out.includes(checked.source)) out.push(checked.source);
    } else refused.push(`${name}: ${checked.why}`);
  }
  return out;
}

const list = (extra: string[], fallback: string) => (extra.length ? extra.join(' ') : fallback);

export function buildAppCsp(input: AppCspInput | undefined, serverIsLocal: boolean): BuiltCsp {
  const refused: string[] = [];
  const raw = input && typeof input === 'object' ? input : {};
  const connect = sources(raw.connectDomains, 'connectDomains', serverIsLocal, refused);
  const resource = sources(raw.resourceDomains, 'resourceDomains', serverIsLocal, refused);
  const frame = sources(raw.frameDomains, 'frameDomains', serverIsLocal, refused);
  const base = sources(raw.baseUriDomains, 'baseUriDomains', serverIsLocal, refused);
  const withResources = (directive: string, first: string) => [directive, first, ...resource].join(' ');
  const csp = [
    "default-src 'none'",
    // Inline only: the document is the server's single HTML file; 'self' would be our own app origin.
    withResources('script-src', "'unsafe-inline'"),
    withResources('style-src', "'unsafe-inline'"),
    withResources('img-src', 'data:'),
    withResources('font-src', 'data:'),
    withResources('media-src', 'data:'),
    `connect-src ${list(connect, "'none'")}`,
    `frame-src ${list(frame, "'none'")}`,
    "worker-src 'none'",
    "object-src 'none'",
    `base-uri ${list(base, "'none'")}`,
    "form-action 'none'",
  ].join('; ');
  return { csp, refused };
}

const KNOWN_PERMISSIONS = ['camera', 'microphone', 'geolocation', 'clipboardWrite'] as const;

/** `permissions` → the iframe's `allow` attribute, for the known permissions only; the rest is reported. */
export function buildAllow(permissions: unknown): { allow: string; refused: string[] } {
  if (!permissions || typeof permissions !== 'object' || Array.isArray(permissions)) return { allow: '', refused: [] };
  const known: McpUiResourcePermissions = {};
  const refused: string[] = [];
  for (const [key, value] of Object.entries(permissions).slice(0, 32)) {
    if ((KNOWN_PERMISSIONS as readonly string[]).includes(key)) {
      if (value && typeof value === 'object') (known as Record<string, object>)[key] = {};
    } else refused.push(`permissions: ${JSON.stringify(key.slice(0, 40))} is not a known permission`);
  }
  return { allow: buildAllowAttribute(known), refused };
}
