import type { InstallLinkResult, InstallLinkServer, InstallLinkSource, InstallLinkValue } from '../../../shared/contract';
import { assertSafeUrl } from '../net/url-policy';
import { isSecretKey, looksLikeOpaqueToken } from '../traffic';
import { decodeBase64, parseLinkJson } from './safe-json';

// Turns an install link into a prefill for the Add-server form, or a reason it
// was refused. Accepted shapes:
//   switchboard://install?name=<name>&config=<base64 of a Cursor-style entry>
//   switchboard://install?vscode=<url-encoded VS Code entry, with name>
//   vscode:mcp/install?<url-encoded VS Code entry, with name> (and vscode-insiders:)
//   cursor://anysphere.cursor-deeplink/mcp/install?name=<name>&config=<base64>
// An entry is `{command, args, env, cwd}` or `{url, headers, type}`. Everything
// in a link is hostile: bounded, strict JSON, argv kept as argv, URLs through
// the one URL policy, secret-looking values left for the user to type.

export const MAX_LINK_LENGTH = 64 * 1024;
const MAX_NAME = 100;
const MAX_COMMAND = 4096;
const MAX_ARG = 32 * 1024;
const MAX_ARGS = 256;
const MAX_VALUES = 64;
const MAX_WARNINGS = 20;

const STDIO_FIELDS = new Set(['name', 'type', 'command', 'args', 'env', 'cwd']);
const HTTP_FIELDS = new Set(['name', 'type', 'url', 'headers']);

type Entry = Record<string, unknown>;
const refuse = (reason: string): InstallLinkResult => ({ ok: false, reason: `This install link was refused: ${reason}.` });
const isRecord = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);
// Control characters (newlines included) have no place in a name, command or value from a link.
const CONTROL = /[\u0000-\u001f\u007f]/;
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 64);

export function parseInstallLink(url: string): InstallLinkResult {
  if (typeof url !== 'string' || url.length === 0) return refuse('it is empty');
  if (url.length > MAX_LINK_LENGTH) return refuse(`it is longer than ${MAX_LINK_LENGTH / 1024} KB`);
  const found = unwrap(url);
  if ('reason' in found) return refuse(found.reason);
  const json = parseLinkJson(found.json);
  if (!json.ok) return refuse(json.reason);
  if (!isRecord(json.value)) return refuse('the server description is not a JSON object');
  const entry = json.value;
  const name = found.name ?? entry.name;
  if (typeof name !== 'string' || name.trim() === '') return refuse('it does not name the server');
  if (name.length > MAX_NAME || CONTROL.test(name)) return refuse(`the server name is longer than ${MAX_NAME} characters or contains control characters`);
  const built =
    'command' in entry && 'url' in entry
      ? { reason: 'the server description has both a command and a URL' }
      : 'url' in entry
        ? http(name.trim(), entry)
        : stdio(name.trim(), entry);
  if ('reason' in built) return refuse(built.reason);
  const known = built.server.transport === 'stdio' ? STDIO_FIELDS : HTTP_FIELDS;
  const ignored = Object.keys(entry).filter((key) => !known.has(key));
  const warnings = [
    ...ignored.slice(0, MAX_WARNINGS).map((key) => `Ignored "${printable(key)}": Switchboard does not use this field from a link.`),
    ...built.warnings,
  ];
  if (ignored.length > MAX_WARNINGS) warnings.push(`…and ${ignored.length - MAX_WARNINGS} more ignored fields.`);
  return { ok: true, server: built.server, source: found.source, warnings };
}

type Unwrapped = { source: InstallLinkSource; json: string; name?: string } | { reason: string };

/** The link's JSON text (and name, where the link carries it apart from the JSON). */
function unwrap(raw: string): Unwrapped {
  if (CONTROL.test(raw) || /\s/.test(raw)) return { reason: 'it contains whitespace or control characters' };
  let link: URL;
  try {
    link = new URL(raw);
  } catch {
    return { reason: 'it is not a URL' };
  }
  const scheme = link.protocol.toLowerCase();
  const path = `${link.host}${link.pathname}`.replace(/\/+$/, '').toLowerCase();
  const query = link.searchParams;
  const cursorStyle = (source: InstallLinkSource): Unwrapped => {
    const config = query.get('config');
    if (config === null) return { reason: 'it has no config' };
    const json = decodeBase64(config);
    if (json === undefined) return { reason: 'its config is not base64 of UTF-8 text' };
    return { source, json, name: query.get('name') ?? undefined };
  };
  if (scheme === 'switchboard:' && path === 'install') {
    const vscode = query.get('vscode');
    if (vscode !== null) return { source: 'vscode', json: vscode };
    return cursorStyle('switchboard');
  }
  if ((scheme === 'vscode:' || scheme === 'vscode-insiders:') && path === 'mcp/install') {
    try {
      return { source: 'vscode', json: decodeURIComponent(link.search.slice(1)) };
    } catch {
      return { reason: 'its payload is not URL-encoded text' };
    }
  }
  if (scheme === 'cursor:' && path === 'anysphere.cursor-deeplink/mcp/install') return cursorStyle('cursor');
  return { reason: `"${printable(`${link.protocol}//${link.host}${link.pathname}`)}" is not an install link` };
}

type Built = { server: InstallLinkServer; warnings: string[] } | { reason: string };

function stdio(name: string, entry: Entry): Built {
  const { command, args = [], cwd } = entry;
  if (entry.type !== undefined && entry.type !== 'stdio')
    return { reason: `a server with a command must be of type "stdio", not ${JSON.stringify(String(entry.type).slice(0, 32))}` };
  if (typeof command !== 'string' || command.trim() === '') return { reason: 'the server description has neither a command nor a URL' };
  if (command.length > MAX_COMMAND || CONTROL.test(command)) return { reason: 'the command is too long or contains control characters' };
  // Kept as argv, exactly as given: shell metacharacters stay literal because nothing is ever run through a shell.
  if (!Array.isArray(args) || args.length > MAX_ARGS || !args.every((a): a is string => typeof a === 'string' && a.length <= MAX_ARG))
    return { reason: `args must be a list of at most ${MAX_ARGS} strings` };
  // The form shows one argument per line: a line break inside one would silently split it in two.
  if (args.some((a) => CONTROL.test(a))) return { reason: 'an argument contains a line break or control character' };
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd.length > MAX_COMMAND || CONTROL.test(cwd))) return { reason: 'cwd must be a folder path' };
  const env = values(entry.env, 'env');
  if ('reason' in env) return env;
  return { server: { transport: 'stdio', name, command, args, ...(cwd ? { cwd } : {}), env: env.values }, warnings: env.warnings };
}

function http(name: string, entry: Entry): Built {
  const { url, type } = entry;
  if (type !== undefined && !['http', 'sse', 'streamable-http', 'streamableHttp'].includes(String(type)))
    return { reason: `a server with a URL must be of type "http" or "sse", not ${JSON.stringify(String(type).slice(0, 32))}` };
  if (typeof url !== 'string') return { reason: 'the URL is not a string' };
  try {
    assertSafeUrl(url, 'mcp-server');
  } catch (error) {
    return { reason: (error as Error).message.replace(/\.$/, '') };
  }
  const headers = values(entry.headers, 'header');
  if ('reason' in headers) return headers;
  return { server: { transport: 'http', name, url, mode: type === 'sse' ? 'sse' : 'auto', headers: headers.values }, warnings: headers.warnings };
}

/** env or headers: an object of strings. Secret-looking names or values come without their value. */
function values(raw: unknown, noun: 'env' | 'header'): { values: InstallLinkValue[]; warnings: string[] } | { reason: string } {
  if (raw === undefined) return { values: [], warnings: [] };
  if (!isRecord(raw)) return { reason: `${noun === 'env' ? 'env' : 'headers'} must be an object of names to strings` };
  const entries = Object.entries(raw);
  if (entries.length > MAX_VALUES) return { reason: `more than ${MAX_VALUES} ${noun === 'env' ? 'environment variables' : 'headers'}` };
  const out: InstallLinkValue[] = [];
  const warnings: string[] = [];
  for (const [key, value] of entries) {
    if (key.trim() === '' || key.length > 256 || CONTROL.test(key) || (noun === 'header' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)))
      return { reason: `"${printable(key)}" is not a valid ${noun === 'env' ? 'variable' : 'header'} name` };
    if (typeof value !== 'string' || value.length > MAX_ARG || CONTROL.test(value))
      return { reason: `the value of "${printable(key)}" must be a single-line string` };
    const secret = isSecretKey(key) || looksLikeOpaqueToken(value) || /^(bearer|basic)\s/i.test(value);
    // A placeholder like ${input:token} or ${env:KEY} is the other client's: the user types the real value.
    const placeholder = /\$\{[^}]*\}/.test(value);
    if (secret || placeholder) {
      out.push({ name: key, secret: true });
      if (value !== '')
        warnings.push(
          `Type the value of "${printable(key)}" yourself: ${placeholder ? 'the link has a placeholder' : 'it looks secret, so the link’s value is not used'}.`,
        );
    } else out.push({ name: key, secret: false, value });
  }
  return { values: out, warnings };
}
