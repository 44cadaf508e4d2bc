import { isIP } from 'node:net';

// "Is this host this machine?" — the one answer every URL check uses (plain
// http is allowed only there). Only names that cannot reach another machine
// count, because nothing here is ever resolved through DNS:
//   - the literal name `localhost` (any case). Not `*.localhost` and not
//     `localhost.` (trailing dot): those are ordinary names a resolver, a VPN's
//     search domain or /etc/hosts may send anywhere;
//   - IPv4 literals in 127.0.0.0/8. WHATWG URL parsing canonicalises
//     shorthand (`127.1`, `0x7f.1`, `2130706433`) to dotted quads before we see
//     them; a raw `127.1` string is not an IP literal and is refused;
//   - IPv6 `::1` (bracketed in URLs) and IPv4-mapped 127/8 (`::ffff:127.0.0.1`,
//     canonicalised by URL to `::ffff:7f00:1`): a literal loopback address,
//     which the kernel never routes off the machine.

export function isLoopbackHost(hostname: string): boolean {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // IPv4-mapped loopback, hex form as URL writes it (::ffff:7fxx:xxxx) or dotted.
    return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  }
  return false;
}

/** True when the URL parses and its host is loopback (see isLoopbackHost). */
export function isLoopbackUrl(url: string | URL): boolean {
  try {
    return isLoopbackHost((typeof url === 'string' ? new URL(url) : url).hostname);
  } catch {
    return false;
  }
}

/**
 * Loopback, or an unspecified address (0.0.0.0/8, ::), which connects to this
 * machine on Linux and macOS ("0.0.0.0-day"). Used to keep remote servers'
 * URLs away from local services; never a reason to allow plain http.
 */
export function reachesThisMachine(hostname: string): boolean {
  if (isLoopbackHost(hostname)) return true;
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) === 4) return host.split('.')[0] === '0';
  return host === '::' || /^::ffff:(0:[0-9a-f]{1,4}|0\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.test(host);
}
