import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract';
import { KnownSecrets } from '../traffic';
import { scrubEnvelope, scrubEvent } from './scrub-outbound';

const SECRET = 'shared-value-123456';
const known = new KnownSecrets();
known.add('a', SECRET);
const scrub = known.scrubberForAll();

const view = {
  id: 'b',
  name: 'B',
  config: { transport: 'stdio', command: 'node', args: [SECRET], env: [{ name: 'PLAIN', secret: false, value: SECRET, hasValue: true }] },
  status: { state: 'error', reason: `server said ${SECRET}`, since: 1, lastStderr: [`boom ${SECRET}`] },
  info: { name: 'x', instructions: `use ${SECRET}` },
};

describe('scrubEnvelope / scrubEvent', () => {
  it('scrubs everything a server said, but never a value the user typed into a config', () => {
    const out = scrubEnvelope('listServers', { ok: true, value: { servers: [view], invalid: [] } }, scrub) as { ok: true; value: { servers: (typeof view)[] } };
    const server = out.value.servers[0]!;
    expect(server.config).toBe(view.config); // a form that saves this view back writes the real value
    expect(JSON.stringify(server.status)).not.toContain(SECRET);
    expect(JSON.stringify(server.info)).not.toContain(SECRET);
    const event = scrubEvent('serverChanged', { server: view }, scrub);
    expect(event.server.config).toBe(view.config);
    expect(event.server.status.reason).toBe('server said [redacted]');
  });

  it('scrubs the whole of any other response, event and error', () => {
    const call: Envelope = { ok: true, value: { callId: 'c', status: 'ok', result: { content: [{ type: 'text', text: SECRET }] } } };
    expect(JSON.stringify(scrubEnvelope('callTool', call, scrub))).not.toContain(SECRET);
    const error: Envelope = { ok: false, error: { code: 'PROTOCOL_ERROR', message: `rejected ${SECRET}`, details: { data: SECRET } } };
    expect(JSON.stringify(scrubEnvelope('readResource', error, scrub))).not.toContain(SECRET);
    expect(JSON.stringify(scrubEvent('serverMessages', { serverId: 'a', messages: [{ text: SECRET }] }, scrub))).not.toContain(SECRET);
    // Server-view methods: the message is scrubbed, the details (the launch spec shown for approval) are not.
    const approval = scrubEnvelope(
      'connectServer',
      { ok: false, error: { code: 'APPROVAL_REQUIRED', message: `x ${SECRET}`, details: { trust: { spec: { args: [SECRET] } } } } },
      scrub,
    );
    expect(approval).toEqual({ ok: false, error: { code: 'APPROVAL_REQUIRED', message: 'x [redacted]', details: { trust: { spec: { args: [SECRET] } } } } });
  });

  it('passes everything through untouched when no secret is known', () => {
    const call: Envelope = { ok: true, value: { text: SECRET } };
    expect(scrubEnvelope('callTool', call, undefined)).toBe(call);
  });
});
