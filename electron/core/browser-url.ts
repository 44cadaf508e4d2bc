import { isLoopbackHost } from './net/loopback';

// The last check before any URL reaches the system browser: http(s) only, http
// only for loopback hosts, no credentials. javascript:, file:, data: and
// custom schemes never get through (the CVE-2025-6514 lesson).


export function assertSafeBrowserUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('Refusing to open a malformed URL.');
  }
  if (url.username || url.password) throw new Error('Refusing to open a URL with embedded credentials.');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new Error(`Refusing to open a ${url.protocol} URL: only https (or http on this machine) is allowed.`);
}
