import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { GatewayRounds, ParkedCall } from '../../electron/core/gateway/gateway-rounds';
import { useCleanup } from '../helpers/cleanup';
import { addOtherClient, answerInDialog, connectV2, rawPost, startGateway, type GatewaySetup, text } from '../helpers/gateway';

// An upstream's elicitation during a 2026-07-28 client's gateway call reaches that client as
// input-required rounds of its own tools/call (SEP-2322): the upstream call stays parked in the
// gateway, and the client's retry (inputResponses + requestState) answers it. The requestState is
// good for one retry by the same client on the same tool; revoking the client cancels the call.

const track = useCleanup();

async function setup(): Promise<GatewaySetup> {
  const g = await startGateway();
  track(g.t);
  return g;
}

/** One 2026-07-28 tools/call as raw HTTP (so a round can be replayed or forged). */
async function modernCall(
  g: GatewaySetup,
  token: string,
  tool: string,
  extra: { requestState?: string; inputResponses?: Record<string, unknown> } = {},
  capabilities: Record<string, unknown> = { elicitation: { form: {} } },
) {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: Math.floor(Math.random() * 1e6),
    method: 'tools/call',
    params: {
      name: tool,
      arguments: {},
      ...extra,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1' },
        'io.modelcontextprotocol/clientCapabilities': capabilities,
      },
    },
  });
  const res = await rawPost(
    g.address,
    g.url.pathname,
    { authorization: `Bearer ${token}`, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool },
    body,
  );
  const json = res.text.trim().startsWith('{')
    ? JSON.parse(res.text)
    : JSON.parse(
        res.text
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .at(-1)!
          .slice(5),
      );
  return { status: res.status, message: json as { result?: Record<string, unknown>; error?: { message: string } } };
}

describe('gateway: questions to a 2026-07-28 client in input-required rounds', () => {
  it('an SDK client that declared elicitation answers in its own rounds; one History record, no dialog', async () => {
    const g = await setup();
    const client = new Client(
      { name: 'modern-eliciting', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, capabilities: { elicitation: { form: {} } } },
    );
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(String((request.params as { message?: unknown }).message));
      return { action: 'accept', content: { name: 'Ada' } };
    });
    await client.connect(new StreamableHTTPClientTransport(g.url, { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }));
    track(client);
    expect(client.getNegotiatedProtocolVersion?.()).toBe('2026-07-28');
    expect(text(await client.callTool({ name: 'ask', arguments: {} }))).toBe('Hello Ada');
    expect(asked).toEqual(['What is your name?']);
    expect((await g.t.call('listClientRequests', {})).requests).toEqual([]);
    const history = await g.t.call('queryHistory', { limit: 10 });
    const records = history.records.filter((r) => r.tool === 'ask');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'ok', client: 'Test Client' });
  });

  it("progress after a round goes out with the retry's own progress token (each round is a new request)", async () => {
    const g = await setup();
    const client = new Client(
      { name: 'modern-progress', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, capabilities: { elicitation: { form: {} } } },
    );
    client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
    await client.connect(new StreamableHTTPClientTransport(g.url, { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }));
    track(client);
    // The progress tokens of the call's requests as sent, and those of the progress notifications as received.
    const sentTokens: unknown[] = [];
    const heardTokens: unknown[] = [];
    const transport = client.transport!;
    const send = transport.send.bind(transport);
    transport.send = (m, options) => {
      const msg = m as { method?: string; params?: { _meta?: { progressToken?: unknown } } };
      if (msg.method === 'tools/call') sentTokens.push(msg.params?._meta?.progressToken);
      return send(m, options);
    };
    const receive = transport.onmessage!;
    transport.onmessage = (m, extra) => {
      const msg = m as { method?: string; params?: { progressToken?: unknown } };
      if (msg.method === 'notifications/progress') heardTokens.push(msg.params?.progressToken);
      receive(m, extra as never);
    };
    const progress: number[] = [];
    const result = await client.callTool({ name: 'ask_then_work', arguments: {} }, { onprogress: (p) => void progress.push(p.progress) });
    expect(text(result)).toBe('done for Ada');
    expect(sentTokens).toHaveLength(2);
    expect(sentTokens[0]).not.toEqual(sentTokens[1]);
    // Progress after the answer belongs to the retry: its token, not the first request's. (A progress the upstream sends
    // in the same read as its result can be overtaken by it, so at least one arrives.)
    expect(heardTokens.length).toBeGreaterThan(0);
    expect(heardTokens.every((t) => t === sentTokens[1])).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('a 2026-07-28 client without the capability: the dialog names it', async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token, 'auto'));
    expect(client.getNegotiatedProtocolVersion?.()).toBe('2026-07-28');
    const call = client.callTool({ name: 'ask', arguments: {} });
    expect(await answerInDialog(g, { name: 'Grace' })).toMatchObject({ kind: 'elicitation', clientName: 'Test Client' });
    expect(text(await call)).toBe('Hello Grace');
  });

  it('the requestState works once, only for the client it was given to and the same tool', async () => {
    const g = await setup();
    const { token: otherToken } = await addOtherClient(g);
    const first = await modernCall(g, g.token, 'ask');
    expect(first.message.result).toMatchObject({ resultType: 'input_required' });
    const question = (first.message.result!.inputRequests as Record<string, { method: string; params: { message: string } }>).q1!;
    expect(question).toMatchObject({ method: 'elicitation/create', params: { message: 'What is your name?' } });
    const requestState = first.message.result!.requestState as string;
    expect(requestState.length).toBeGreaterThanOrEqual(40);
    const answer = { q1: { action: 'accept', content: { name: 'Lin' } } };

    // Another client cannot answer (or learn the result of) this client's call.
    const stolen = await modernCall(g, otherToken, 'ask', { requestState, inputResponses: answer });
    expect(stolen.message.error?.message).toMatch(/unknown or has expired/);
    // Nor can the same client aim it at another tool.
    const elsewhere = await modernCall(g, g.token, 'echo', { requestState, inputResponses: answer });
    expect(elsewhere.message.error?.message).toMatch(/unknown or has expired/);

    // The Gateway view counts the call that waits for this client's answer.
    expect(g.t.core.gateway.view().clients.find((c) => c.id === g.clientId)?.waiting).toBe(1);
    const done = await modernCall(g, g.token, 'ask', { requestState, inputResponses: answer });
    expect(text(done.message.result)).toBe('Hello Lin');
    expect(g.t.core.gateway.view().clients.find((c) => c.id === g.clientId)?.waiting).toBe(0);
    const replay = await modernCall(g, g.token, 'ask', { requestState, inputResponses: answer });
    expect(replay.message.error?.message).toMatch(/unknown or has expired/);
    const forged = await modernCall(g, g.token, 'ask', { requestState: 'forged-state', inputResponses: answer });
    expect(forged.message.error?.message).toMatch(/unknown or has expired/);
  });

  it('revoking the client cancels its parked call upstream', async () => {
    const g = await setup();
    const first = await modernCall(g, g.token, 'ask');
    expect(first.message.result).toMatchObject({ resultType: 'input_required' });
    await g.t.call('revokeGatewayClient', { id: g.clientId });
    let cancelled: { status: string } | undefined;
    for (let i = 0; i < 200 && !cancelled; i++) {
      cancelled = (await g.t.call('queryHistory', { limit: 10 })).records.find((r) => r.tool === 'ask');
      if (!cancelled) await new Promise((r) => setTimeout(r, 25));
    }
    expect(cancelled?.status).toBe('cancelled');
    const retry = await modernCall(g, g.token, 'ask', {
      requestState: first.message.result!.requestState as string,
      inputResponses: { q1: { action: 'accept', content: { name: 'Late' } } },
    });
    expect(retry.status).toBe(401);
  });
});

describe('GatewayRounds', () => {
  it('cancels a parked call whose client never comes back', async () => {
    const rounds = new GatewayRounds(30);
    const parked = new ParkedCall<string>('client-1', 's\nt', undefined);
    let cancelled: unknown;
    parked.run((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject((cancelled = signal.reason)), { once: true })));
    const token = rounds.park(parked as ParkedCall<unknown>);
    await new Promise((r) => setTimeout(r, 80));
    expect(String(cancelled)).toMatch(/did not answer/);
    expect(rounds.take(token, 'client-1', 's\nt')).toBeUndefined();
    expect(rounds.size).toBe(0);
  });

  it('a round whose request is already gone cancels the call instead of waiting for it', async () => {
    const parked = new ParkedCall<string>('client-1', 's\nt', undefined);
    let cancelled = false;
    parked.run((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => ((cancelled = true), reject(signal.reason)), { once: true })));
    const gone = new AbortController();
    gone.abort(new Error('client went away'));
    await expect(parked.next(gone.signal)).rejects.toThrow(/went away/);
    expect(cancelled).toBe(true);
  });

  it('revoking a client reaches its calls in the middle of a round, not only the parked ones', async () => {
    const rounds = new GatewayRounds();
    const parked = new ParkedCall<string>('client-1', 's\nt', undefined);
    const other = new ParkedCall<string>('client-2', 's\nt', undefined);
    const ended: string[] = [];
    for (const [call, name] of [
      [parked, 'one'],
      [other, 'two'],
    ] as const) {
      rounds.track(call as ParkedCall<unknown>);
      call.run((signal) => new Promise((_, reject) => signal.addEventListener('abort', () => (ended.push(name), reject(signal.reason)), { once: true })));
    }
    rounds.endClient('client-1', new Error('revoked'));
    await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual(['one']);
    rounds.endAll(new Error('stopped'));
    await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual(['one', 'two']);
  });
});
