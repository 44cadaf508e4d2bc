import { afterEach, describe, expect, test } from 'vitest';
import { IpcError } from '../../../shared/contract/errors';
import { startLoopbackListener, type LoopbackListener } from './loopback';

let listener: LoopbackListener | undefined;
afterEach(() => listener?.close());

const get = (url: string) => fetch(url, { redirect: 'manual' });

describe('loopback listener', () => {
  test('binds 127.0.0.1 on an ephemeral port with a random exact path', async () => {
    listener = await startLoopbackListener({ state: 's' });
    const u = new URL(listener.redirectUri);
    expect(u.hostname).toBe('127.0.0.1');
    expect(Number(u.port)).toBeGreaterThan(0);
    expect(u.pathname).toMatch(/^\/callback\/[0-9a-f]{24}$/);
    const other = await startLoopbackListener({ state: 's' });
    expect(other.redirectUri).not.toBe(listener.redirectUri);
    other.close();
  });

  test('wrong or missing state is not accepted; the right one is; then it closes', async () => {
    listener = await startLoopbackListener({ state: 'good-state' });
    const base = listener.redirectUri;
    let settled = false;
    void listener.result.then(
      () => (settled = true),
      () => (settled = true),
    );
    expect((await get(`${base}?code=c1&state=evil`)).status).toBe(400);
    expect((await get(`${base}?code=c1`)).status).toBe(400);
    expect((await get(`${base.replace(/\/callback\/.*/, '/callback/other')}?code=c1&state=good-state`)).status).toBe(404);
    expect((await get(`${base}?state=good-state`)).status).toBe(400); // no code
    expect(settled).toBe(false);
    const res = await get(`${base}?code=the-code&state=good-state`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You can return to Switchboard');
    expect(html).not.toContain('the-code');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const { callbackUrl } = await listener.result;
    expect(callbackUrl.searchParams.get('code')).toBe('the-code');
    await expect(get(`${base}?code=again&state=good-state`)).rejects.toThrow(); // closed
  });

  test('the page reflects nothing from the request', async () => {
    listener = await startLoopbackListener({ state: 's' });
    const res = await get(`${listener.redirectUri}?state=s&error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&error_description=%3Cimg%20src%3Dx%3E`);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<img/);
    await expect(listener.result).rejects.toThrow(IpcError);
  });

  test('AS errors reach the caller clearly (access_denied -> CANCELLED)', async () => {
    listener = await startLoopbackListener({ state: 's' });
    await get(`${listener.redirectUri}?state=s&error=access_denied&error_description=User%20said%20no`);
    await expect(listener.result).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/access_denied.*User said no/) });
  });

  test('other AS errors -> AUTH_FAILED; control characters stripped', async () => {
    listener = await startLoopbackListener({ state: 's' });
    await get(`${listener.redirectUri}?state=s&error=server_error&error_description=a%0D%0Ab`);
    await expect(listener.result).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.not.stringMatching(/[\r\n]/) });
  });

  test('times out', async () => {
    listener = await startLoopbackListener({ state: 's', timeoutMs: 200 });
    await expect(listener.result).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  test('close() cancels a pending wait and stops listening', async () => {
    listener = await startLoopbackListener({ state: 's' });
    const uri = listener.redirectUri;
    listener.close();
    await expect(listener.result).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(get(`${uri}?state=s&code=x`)).rejects.toThrow();
  });
});
