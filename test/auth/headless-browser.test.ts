import { expect, test } from 'vitest';
import { createHeadlessBrowser } from '../../electron/core/auth';
import { startScriptedServer } from '../fixtures/auth/scripted-server';
import { useCleanup } from '../helpers/cleanup';

const track = useCleanup();

test('follows redirects with cookies until the redirect URI', async () => {
  const s = track(
    await startScriptedServer({
      '/a': { status: 302, headers: { Location: '/b', 'Set-Cookie': 'sid=abc; Path=/; HttpOnly' } },
      '/b': (r) => (r.headers.cookie === 'sid=abc' ? { status: 303, headers: { Location: '/cb?code=x' } } : { status: 400 }),
      '/cb': { text: 'done' },
    }),
  );
  const b = createHeadlessBrowser();
  await b.open(`${s.origin}/a?redirect_uri=${encodeURIComponent(`${s.origin}/cb`)}`);
  expect(b.lastUrl()).toBe(`${s.origin}/cb`);
  expect(s.requests.map((r) => r.path)).toEqual(['/a', '/b', '/cb']);
});

test('refuses javascript:/file: redirects', async () => {
  const s = track(
    await startScriptedServer({
      '/a': { status: 302, headers: { Location: 'javascript:alert(1)' } },
      '/f': { status: 302, headers: { Location: 'file:///etc/passwd' } },
    }),
  );
  await expect(createHeadlessBrowser().open(`${s.origin}/a`)).rejects.toThrow(/refuses to navigate to a javascript: URL/);
  await expect(createHeadlessBrowser().open(`${s.origin}/f`)).rejects.toThrow(/file: URL/);
});

test('gives up after 10 redirects', async () => {
  const s = track(await startScriptedServer({ '/loop': { status: 302, headers: { Location: '/loop' } } }));
  await expect(createHeadlessBrowser().open(`${s.origin}/loop`)).rejects.toThrow(/after 10 redirects/);
  expect(s.requests).toHaveLength(11);
});

test('fails fast when it ends on a page that is not the redirect URI (e.g. a login form)', async () => {
  const s = track(await startScriptedServer({ '/authorize': { status: 302, headers: { Location: '/login' } }, '/login': { text: '<form>' } }));
  await expect(createHeadlessBrowser().open(`${s.origin}/authorize?redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}`)).rejects.toThrow(
    /did not redirect back \(stopped at .*\/login with HTTP 200\)/,
  );
});
