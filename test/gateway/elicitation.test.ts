import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { waitFor } from '../helpers/core';
import { addOtherClient, answerInDialog, connectV2, startGateway, type GatewaySetup, text } from '../helpers/gateway';

// An upstream's elicitation during a gateway call goes to the downstream client
// whose call caused it, when it declared elicitation; otherwise Switchboard's
// dialog shows it and names that client.

const track = useCleanup();

async function setup(): Promise<GatewaySetup> {
  const g = await startGateway();
  track(g.t);
  return g;
}

describe('gateway elicitation routing', () => {
  it('goes to the downstream client that declared elicitation, on its own call', async () => {
    const g = await setup();
    const client = new Client({ name: 'eliciting-client', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(String((request.params as { message?: unknown }).message));
      return { action: 'accept', content: { name: 'Ada' } };
    });
    await client.connect(new StreamableHTTPClientTransport(g.url, { requestInit: { headers: { Authorization: `Bearer ${g.token}` } } }));
    track(client);
    expect(text(await client.callTool({ name: 'ask', arguments: {} }))).toBe('Hello Ada');
    expect(asked).toEqual(['What is your name?']);
    // Switchboard's own dialog never saw it.
    expect((await g.t.call('listClientRequests', {})).requests).toEqual([]);
  });

  it("without the capability, Switchboard's dialog shows it and names the client whose call caused it", async () => {
    const g = await setup();
    const client = track(await connectV2(g.url, g.token));
    const call = client.callTool({ name: 'ask', arguments: {} });
    expect(await answerInDialog(g, { name: 'Grace' })).toMatchObject({ kind: 'elicitation', message: 'What is your name?', clientName: 'Test Client' });
    expect(text(await call)).toBe('Hello Grace');
  });

  it('never goes to another client: with calls of two clients running, the dialog shows it and names both', async () => {
    const g = await setup();
    const { token: otherToken } = await addOtherClient(g);
    const asked: string[] = [];
    const connect = async (name: string, token: string) => {
      const client = new Client({ name, version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
      client.setRequestHandler('elicitation/create', () => {
        asked.push(name);
        return { action: 'accept', content: { name } };
      });
      await client.connect(new StreamableHTTPClientTransport(g.url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
      return track(client);
    };
    const bystander = await connect('bystander', g.token);
    const asker = await connect('asker', otherToken);
    const slow = bystander.callTool({ name: 'slow', arguments: { ms: 60_000 } });
    await waitFor(() => g.t.core.tools.busy(), 5000, 'the bystander call');
    const call = asker.callTool({ name: 'ask', arguments: {} });
    const request = await g.t.waitForEvent('clientRequest', (r) => r.serverId === g.serverId);
    expect(request.clientName).toMatch(/^(Test Client or Other Client|Other Client or Test Client)$/);
    await g.t.call('answerElicitation', { requestId: request.requestId, action: 'decline' });
    expect(text(await call)).toBe('no answer (decline)');
    expect(asked).toEqual([]);
    void slow.catch(() => undefined);
  });
});
