import { isIP } from 'node:net';

// "Is this host this machine?" — the one answer every URL check uses (plain
// http is allowed only there): 127.0.0.0/8, ::1 (also IPv4-mapped), localhost.

export function isLoopbackHost(hostname: string): boolean {
  let host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // IPv4-mapped loopback (::ffff:127.x.y.z, normalised by URL to ::ffff:7fxx:xxxx)
    const mapped = /^::ffff:(7f[0-9a-f]{2}):[0-9a-f]{1,4}$/.exec(host);
    return Boolean(mapped);
  }
  return false;
}
