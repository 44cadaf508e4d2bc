import { describe, expect, it } from 'vitest';
import { buildAllow, buildAppCsp, checkSource } from './csp';

describe('the MCP App frame CSP', () => {
  it('is restrictive by default: inline script and style only, no network, no frames, no workers', () => {
    const { csp, refused } = buildAppCsp(undefined, false);
    expect(refused).toEqual([]);
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'unsafe-inline'",
      "style-src 'unsafe-inline'",
      'img-src data:',
      'font-src data:',
      'media-src data:',
      "connect-src 'none'",
      "frame-src 'none'",
      "worker-src 'none'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]);
  });

  it('adds declared origins to their directives', () => {
    const { csp } = buildAppCsp(
      {
        connectDomains: ['https://api.example.com', 'wss://live.example.com:8443'],
        resourceDomains: ['https://*.cdn.example.com'],
        frameDomains: ['https://www.youtube.com'],
        baseUriDomains: ['https://cdn.example.com/'],
      },
      false,
    );
    expect(csp).toContain('connect-src https://api.example.com wss://live.example.com:8443;');
    expect(csp).toContain("script-src 'unsafe-inline' https://*.cdn.example.com;");
    expect(csp).toContain('img-src data: https://*.cdn.example.com;');
    expect(csp).toContain('frame-src https://www.youtube.com;');
    expect(csp).toContain('base-uri https://cdn.example.com;');
  });

  const hostile = [
    '*',
    'https:',
    'https://*',
    '*.example.com',
    'https://*.com',
    'https://*.*.example.com',
    "'unsafe-eval'",
    "'self'",
    "'unsafe-inline'",
    'data:',
    'blob:',
    'javascript:alert(1)',
    'https://a.example.com; script-src *',
    'https://a.example.com https://b.example.com',
    'https://a.example.com,https://b.example.com',
    'https://a.example.com/path',
    'https://user@a.example.com',
    'https://a.example.com:*',
    'https://a.example.com:99999',
    'ftp://a.example.com',
    'http://api.example.com',
    'ws://api.example.com',
    'http://127.0.0.1:8080',
    'https://localhost',
    'https://x.localhost',
    'https://[::1]',
    'https://0.0.0.0',
    'https://a.example.com\n',
    "https://a.example.com'",
    'x'.repeat(400),
    '',
  ];

  it.each(hostile)('refuses %j', (source) => {
    expect('why' in checkSource(source, false)).toBe(true);
    const { csp, refused } = buildAppCsp({ connectDomains: [source], resourceDomains: [source], frameDomains: [source], baseUriDomains: [source] }, false);
    expect(refused).toHaveLength(4);
    expect(csp).toBe(buildAppCsp(undefined, false).csp);
  });

  it('a server on this computer may name this computer (plain http too); a remote one may not', () => {
    expect(checkSource('http://127.0.0.1:8080', true)).toEqual({ source: 'http://127.0.0.1:8080' });
    expect(checkSource('http://localhost:5173', true)).toEqual({ source: 'http://localhost:5173' });
    expect('why' in checkSource('http://127.0.0.1:8080', false)).toBe(true);
    expect('why' in checkSource('http://example.com', true)).toBe(true);
  });

  it('refuses non-lists and caps long lists', () => {
    expect(buildAppCsp({ connectDomains: 'https://a.example.com' }, false).refused).toEqual(['connectDomains: not a list']);
    const many = Array.from({ length: 40 }, (_, i) => `https://h${i}.example.com`);
    const { csp, refused } = buildAppCsp({ connectDomains: many }, false);
    expect(csp.match(/https:\/\/h\d+/g)).toHaveLength(32);
    expect(refused).toHaveLength(1);
  });

  it('maps known permissions to allow and reports the rest', () => {
    expect(buildAllow({ camera: {}, microphone: {}, geolocation: {}, clipboardWrite: {} })).toEqual({
      allow: 'camera; microphone; geolocation; clipboard-write',
      refused: [],
    });
    const odd = buildAllow({ usb: {}, 'camera *; usb': {}, camera: {} });
    expect(odd.allow).toBe('camera');
    expect(odd.refused).toHaveLength(2);
    expect(buildAllow('camera').allow).toBe('');
  });
});
