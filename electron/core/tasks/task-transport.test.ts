import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { ALIAS_PREFIX, TASK_RESULT_META, tasksTransport } from './task-transport';

function pair() {
  const sent: JSONRPCMessage[] = [];
  const inner: Transport = { start: async () => undefined, close: async () => undefined, send: async (m) => void sent.push(m) };
  const received: JSONRPCMessage[] = [];
  const wrapped = tasksTransport(inner);
  wrapped.onmessage = (m) => void received.push(m);
  return { inner, wrapped, sent, received };
}

describe('tasksTransport', () => {
  it('sends aliased task methods under their wire names, everything else as is', async () => {
    const { wrapped, sent } = pair();
    await wrapped.send({ jsonrpc: '2.0', id: 1, method: `${ALIAS_PREFIX}get`, params: { taskId: 'a' } });
    await wrapped.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(sent.map((m) => (m as { method: string }).method)).toEqual(['tasks/get', 'tools/list']);
  });

  it('hands a tools/call task answer to the SDK as a complete result carrying the task; other answers pass untouched', async () => {
    const { inner, wrapped, received } = pair();
    await wrapped.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } });
    await wrapped.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'y' } });
    inner.onmessage!({ jsonrpc: '2.0', id: 7, result: { resultType: 'task', taskId: 't1', status: 'working', pollIntervalMs: 500 } });
    inner.onmessage!({ jsonrpc: '2.0', id: 8, result: { resultType: 'complete', content: [] } });
    // Not a tools/call we sent: a task-shaped answer is left for the SDK to refuse.
    inner.onmessage!({ jsonrpc: '2.0', id: 9, result: { resultType: 'task', taskId: 't2' } });
    expect(received[0]).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: { resultType: 'complete', content: [], _meta: { [TASK_RESULT_META]: { taskId: 't1', status: 'working', pollIntervalMs: 500 } } },
    });
    expect(received[1]).toEqual({ jsonrpc: '2.0', id: 8, result: { resultType: 'complete', content: [] } });
    expect(received[2]).toEqual({ jsonrpc: '2.0', id: 9, result: { resultType: 'task', taskId: 't2' } });
  });
});
