import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../helpers/cleanup';
import { startTestCore } from '../helpers/core';

// A tool's JSON Schema reaches the user exactly as the server sent it: a 2020-12
// schema keeps every keyword ($schema, $defs, $anchor, allOf/anyOf,
// if/then/else, additionalProperties), a $ref stays a $ref, and a $ref to
// another document is never fetched (SEP-1613, SEP-2106). Arguments are still
// checked against the same-document parts.

const track = useCleanup();

/** A minimal 2025-era MCP server over plain JSON responses, plus a canary URL that counts fetches. */
async function startSchemaServer(schema: (canary: string) => Record<string, unknown>) {
  const calls: unknown[] = [];
  let canaryHits = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/canary.json') {
      canaryHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"object"}');
      return;
    }
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString('utf8')));
    req.on('end', () => {
      const msg = JSON.parse(text || '{}') as { id?: number | string; method?: string; params?: Record<string, unknown> };
      const reply = (body: Record<string, unknown>) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...body }));
      if (msg.id === undefined) return void res.writeHead(202).end();
      if (msg.method === 'initialize')
        return reply({ result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'schemas', version: '1.0.0' } } });
      if (msg.method === 'tools/list')
        return reply({ result: { tools: [{ name: 'save', description: 'Save a user', inputSchema: schema(`${base}/canary.json`) }] } });
      if (msg.method === 'tools/call') {
        calls.push(msg.params?.arguments);
        return reply({ result: { content: [{ type: 'text', text: 'saved' }] } });
      }
      reply({ error: { code: -32601, message: 'Method not found' } });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/mcp`,
    calls,
    canaryHits: () => canaryHits,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const schemaWith = (canary: string): Record<string, unknown> => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    userId: { type: 'string', pattern: '^[a-z0-9-]+$' },
    address: { $anchor: 'addr', type: 'object', properties: { city: { type: 'string' } } },
  },
  properties: {
    id: { $ref: '#/$defs/userId' },
    profile: { $ref: canary },
    kind: { anyOf: [{ const: 'person' }, { const: 'team' }] },
    home: { $ref: '#addr' },
  },
  allOf: [{ required: ['id'] }],
  if: { properties: { kind: { const: 'team' } }, required: ['kind'] },
  then: { required: ['home'] },
  else: {},
  additionalProperties: false,
});

describe('tool schemas pass through untouched', () => {
  it('lists the schema exactly as sent, checks arguments against its local parts, and never fetches a remote $ref', async () => {
    const mcp = await startSchemaServer(schemaWith);
    track(mcp);
    const t = track(startTestCore());
    const { server } = await t.call('addServer', { config: { transport: 'http', name: 'Schemas', url: mcp.url } });
    expect((await t.call('connectServer', { serverId: server.id })).server.status.state).toBe('connected');

    const { tools } = await t.call('listTools', { serverId: server.id });
    expect(tools[0]!.inputSchema).toEqual(schemaWith(mcp.url.replace('/mcp', '/canary.json')));

    // The local $ref is followed for checking: a bad id is refused before anything is sent.
    const bad = await t.call('callTool', { serverId: server.id, tool: 'save', arguments: { id: 'NOT VALID' }, callId: 's1' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'VALIDATION' });
    expect(mcp.calls).toEqual([]);

    const ok = await t.call('callTool', { serverId: server.id, tool: 'save', arguments: { id: 'ada', profile: { displayName: 'Ada' } }, callId: 's2' });
    expect(ok.status).toBe('ok');
    // The remote part stood in as "anything", and the result says it was not checked.
    expect(ok.inputUnchecked?.join(' ')).toContain('canary.json, which is not fetched');
    expect(mcp.calls).toEqual([{ id: 'ada', profile: { displayName: 'Ada' } }]);
    const team = await t
      .call('callTool', { serverId: server.id, tool: 'save', arguments: { id: 'crew', kind: 'team' }, callId: 's3' })
      .catch((e: unknown) => e);
    expect(team).toMatchObject({ code: 'VALIDATION' }); // if/then: a team needs a home
    expect(mcp.canaryHits()).toBe(0);
  });
});
