// URL-mode elicitation through the real core against an SDK server (test/fixtures/servers/url-elicitation.mjs):
// nothing opens before consent; accept opens the URL through the browser port and answers accept;
// 2025-11-25 completion notifications; the -32042 error and its retry; the 2026-07-28 input_required round.
import { describe, expect, it } from 'vitest';
import type { ClientRequestView } from '../../shared/contract';
import { useCleanup } from '../helpers/cleanup';
import { firstText, startTestCore } from '../helpers/core';
import { connectUrlServer, recordingBrowser } from '../helpers/url-elicitation';

const track = useCleanup();

const isUrl = (p: ClientRequestView) => p.urlElicitation !== undefined;

describe('URL-mode elicitation', () => {
  it('2025-11-25: shows the URL and origin before anything opens; accept opens it, answers accept, and the completion arrives', async () => {
    const browser = recordingBrowser();
    const t = track(startTestCore({ browser }));
    const id = await connectUrlServer(t, 'legacy');
    const call = t.call('callTool', { serverId: id, tool: 'visit', arguments: {}, callId: 'v1' });
    const request = await t.waitForEvent('clientRequest', isUrl);
    expect(request.message).toBe('Sign in to the example service to continue.');
    expect(request.urlElicitation).toMatchObject({ source: 'request', origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(request.urlElicitation?.elicitationId).toBeTruthy();
    expect(request.urlElicitation?.refused).toBeUndefined();
    expect(browser.opened).toEqual([]); // nothing opens before consent
    await t.call('answerElicitation', { requestId: request.requestId, action: 'accept' });
    expect(browser.opened).toEqual([request.urlElicitation!.url]);
    expect(firstText(await call)).toBe('action: accept');
    // The page was visited: the server sends notifications/elicitation/complete for this elicitationId.
    await t.waitForEvent('urlElicitationComplete', (p) => p.requestId === request.requestId && p.serverId === id);
  });

  it('decline and cancel answer without opening anything', async () => {
    const browser = recordingBrowser();
    const t = track(startTestCore({ browser }));
    const id = await connectUrlServer(t, 'legacy');
    for (const action of ['decline', 'cancel'] as const) {
      const call = t.call('callTool', { serverId: id, tool: 'visit', arguments: {}, callId: `d-${action}` });
      const request = await t.waitForEvent(
        'clientRequest',
        (p) => isUrl(p) && !t.events.some((e) => e.name === 'clientRequestDone' && (e.payload as { requestId: string }).requestId === p.requestId),
      );
      await t.call('answerElicitation', { requestId: request.requestId, action });
      expect(firstText(await call)).toBe(`action: ${action}`);
    }
    expect(browser.opened).toEqual([]);
  });

  it('2026-07-28: the URL elicitation comes as an input_required round; accept opens it and the call completes', async () => {
    const browser = recordingBrowser();
    const t = track(startTestCore({ browser }));
    const id = await connectUrlServer(t, 'modern');
    const call = t.call('callTool', { serverId: id, tool: 'visit', arguments: {}, callId: 'm1' });
    const request = await t.waitForEvent('clientRequest', isUrl);
    // No elicitationId (and no completion notification) on this revision.
    expect(request.urlElicitation?.elicitationId).toBeUndefined();
    expect(browser.opened).toEqual([]);
    await t.call('answerElicitation', { requestId: request.requestId, action: 'accept' });
    expect(browser.opened).toEqual([request.urlElicitation!.url]);
    expect(firstText(await call)).toBe('action: accept');
  });

  it('-32042: the call fails, each required elicitation gets the consent dialog, and the retried call succeeds once done', async () => {
    const browser = recordingBrowser();
    const t = track(startTestCore({ browser }));
    const id = await connectUrlServer(t, 'legacy');
    const failed = await t.call('callTool', { serverId: id, tool: 'needs-visit', arguments: {}, callId: 'n1' });
    expect(failed.status).toBe('error');
    expect(failed.error?.code).toBe(-32042);
    const request = await t.waitForEvent('clientRequest', isUrl);
    expect(request).toMatchObject({ message: 'Authorize access to your files first.', urlElicitation: { source: 'error', elicitationId: 'needs-visit-1' } });
    expect(browser.opened).toEqual([]);
    // The same error again while the first is unanswered: one dialog, not two.
    await t.call('callTool', { serverId: id, tool: 'needs-visit', arguments: {}, callId: 'n2' });
    expect((await t.call('listClientRequests', {})).requests.filter(isUrl)).toHaveLength(1);
    await t.call('answerElicitation', { requestId: request.requestId, action: 'accept' });
    expect(browser.opened).toHaveLength(1);
    await t.waitForEvent('urlElicitationComplete', (p) => p.requestId === request.requestId);
    const retried = await t.call('callTool', { serverId: id, tool: 'needs-visit', arguments: {}, callId: 'n3' });
    expect(firstText(retried)).toBe('visited');
  });

  it('-32042 on another request (resources/read): the same consent dialog, and the request succeeds when tried again', async () => {
    const browser = recordingBrowser();
    const t = track(startTestCore({ browser }));
    const id = await connectUrlServer(t, 'legacy');
    const failed = await t.core.dispatch('readResource', { serverId: id, uri: 'gated://doc' });
    expect(failed.ok ? undefined : failed.error).toMatchObject({ code: 'PROTOCOL_ERROR', details: { code: -32042 } });
    const request = await t.waitForEvent('clientRequest', isUrl);
    expect(request.urlElicitation).toMatchObject({ source: 'error', elicitationId: 'needs-visit-1' });
    await t.call('answerElicitation', { requestId: request.requestId, action: 'accept' });
    await t.waitForEvent('urlElicitationComplete', (p) => p.requestId === request.requestId);
    expect(JSON.stringify((await t.call('readResource', { serverId: id, uri: 'gated://doc' })).contents)).toContain('the document');
  });
});
