// A server's URL elicitation is hostile input: the URL may be a javascript:, file: or data: URL,
// carry credentials, be 10 KB long, use an IDN host that looks like another one, and the message
// may carry bidi overrides and control characters to disguise what the user reads. Each is
// refused (accept cannot open it; the browser port is never called) or displayed safely.
import { describe, expect, it } from 'vitest';
import type { ClientRequestView } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';
import { firstText, startTestCore, type TestCore } from '../helpers/core';
import { connectUrlServer } from '../helpers/url-elicitation';
import { describeUrlElicitation } from '../../electron/core/client-features';

const track = useCleanup();

function setup() {
  const opened: string[] = [];
  const t = track(startTestCore({ browser: { open: async (url) => void opened.push(url) } }));
  return { t, opened };
}

/** Calls `visit` with a URL and message; returns the dialog's view, or undefined when the SDK refused the request first. */
async function ask(t: TestCore, id: string, args: { url: string; message?: string }, callId: string) {
  const call = t.call('callTool', { serverId: id, tool: 'visit', arguments: args, callId });
  const request = await Promise.race([
    t.waitForEvent('clientRequest', (p: ClientRequestView) => p.urlElicitation !== undefined && !answered(t, p.requestId)),
    call.then(() => undefined),
  ]);
  return { request, call };
}
const answered = (t: TestCore, requestId: string) =>
  t.events.some((e) => e.name === 'clientRequestDone' && (e.payload as { requestId: string }).requestId === requestId);

describe('hostile URL elicitations', () => {
  it.each([
    ['javascript:', 'javascript:alert(document.cookie)', /"javascript:" scheme/],
    ['file:', 'file:///etc/passwd', /"file:" scheme/],
    ['data:', 'data:text/html;base64,PHNjcmlwdD4=', /"data:" scheme/],
    ['credentials', 'https://user:hunter2@accounts.example.com/login', /embedded credentials/],
    ['a 10 KB URL', `https://accounts.example.com/${'a'.repeat(10 * 1024)}`, /too long/],
    ['plain http to a remote host', 'http://accounts.example.com/login', /plain http/],
  ])('%s: shown as refused, accept does not open it, the server gets decline', async (_name, url, why) => {
    const { t, opened } = setup();
    const id = await connectUrlServer(t, 'legacy');
    const { request, call } = await ask(t, id, { url }, 'h1');
    expect(request).toBeDefined();
    const view = request!.urlElicitation!;
    expect(view.refused).toMatch(why);
    expect(view.origin).toBeUndefined();
    expect(view.url.length).toBeLessThanOrEqual(2048);
    expect(view.refused).not.toContain('hunter2');
    const accept = await t.core.dispatch('answerElicitation', { requestId: request!.requestId, action: 'accept' });
    expect(accept.ok ? undefined : accept.error.code).toBe('VALIDATION');
    expect(opened).toEqual([]);
    await t.call('answerElicitation', { requestId: request!.requestId, action: 'decline' });
    expect(firstText(await call)).toBe('action: decline');
    expect(opened).toEqual([]);
  });

  it('bidi overrides and control characters in the message are made visible, never passed through', async () => {
    const { t } = setup();
    const id = await connectUrlServer(t, 'legacy');
    const message = 'Open your invoice \u202Efdp.exe\u202C now\u0007\u0000\u001b[2J\u2066hidden\u2069\u200B';
    const { request, call } = await ask(t, id, { url: 'https://pay.example.com/invoice', message }, 'b1');
    const shown = request!.message;
    expect(shown).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(shown).toContain('[U+202E]fdp.exe[U+202C]');
    expect(shown).toContain('[U+2066]hidden[U+2069]');
    await t.call('answerElicitation', { requestId: request!.requestId, action: 'cancel' });
    expect(firstText(await call)).toBe('action: cancel');
  });

  it('an IDN host is shown in punycode (the origin the user judges), with the Unicode form beside it', async () => {
    const { t, opened } = setup();
    const id = await connectUrlServer(t, 'legacy');
    const { request, call } = await ask(t, id, { url: 'https://аpple.com/login' }, 'i1'); // Cyrillic "а"
    expect(request!.urlElicitation).toMatchObject({ origin: 'https://xn--pple-43d.com', url: 'https://xn--pple-43d.com/login', unicodeHost: 'аpple.com' });
    await t.call('answerElicitation', { requestId: request!.requestId, action: 'accept' });
    expect(opened).toEqual(['https://xn--pple-43d.com/login']); // the browser gets the ASCII form
    expect(firstText(await call)).toBe('action: accept');
  });

  it('a completion notification for an elicitation the user did not accept changes nothing', async () => {
    const { t, opened } = setup();
    const id = await connectUrlServer(t, 'legacy');
    const failed = await t.call('callTool', { serverId: id, tool: 'needs-visit', arguments: {}, callId: 'u1' });
    expect(failed.error?.code).toBe(-32042);
    const request = await t.waitForEvent('clientRequest', (p: ClientRequestView) => p.urlElicitation?.source === 'error');
    // The page is fetched behind the user's back (not through consent): the server notifies completion of an id we never accepted.
    await fetch(request.urlElicitation!.url).then((r) => r.text());
    await t.call('callTool', { serverId: id, tool: 'needs-visit', arguments: {}, callId: 'u2' }); // a round trip after the notification
    expect(t.events.filter((e) => e.name === 'urlElicitationComplete')).toEqual([]);
    expect((await t.call('listClientRequests', {})).requests.map((r) => r.requestId)).toEqual([request.requestId]); // still waiting for the user
    expect(opened).toEqual([]);
  });

  it('a remote server may not aim the browser at this machine or the private network; a local (stdio) server may use loopback', () => {
    const remote = new URL('https://mcp.example.com/mcp');
    for (const url of ['http://127.0.0.1:631/admin', 'https://localhost/', 'https://192.168.1.1/apply.cgi', 'https://169.254.169.254/latest/meta-data/'])
      expect(describeUrlElicitation({ url, message: 'x' }, remote, 'request').urlElicitation.refused).toMatch(/this computer|private network/);
    expect(describeUrlElicitation({ url: 'http://127.0.0.1:631/admin', message: 'x' }, undefined, 'request').urlElicitation.refused).toBeUndefined();
  });
});
