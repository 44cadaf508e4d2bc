import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/client';

// The 2026-07-28 tasks extension (io.modelcontextprotocol/tasks) at the
// transport edge. SDK v2 does not implement the extension, and its 2026 codec
// refuses both halves before our code sees them: a tools/call answered with
// `resultType: "task"` rejects as an unsupported result type, and `tasks/get`
// / `tasks/cancel` are 2025 spec methods it will not send toward a 2026 peer.
// So, only on the wire between the SDK client and the transport:
// - requests the tasks feature sends as `switchboard.app/tasks/<method>` (extension
//   methods are era-blind: the SDK still adds the 2026 `_meta` envelope and
//   matches the response) leave as `tasks/<method>`;
// - a tools/call answer with `resultType: "task"` reaches the SDK as a complete,
//   empty result whose `_meta` carries the task (read by the tasks feature).
// Everything else passes untouched. The recorder sits below, so traffic shows the wire names.

export const ALIAS_PREFIX = 'switchboard.app/tasks/';
export const TASK_RESULT_META = 'switchboard.app/task';
/** Outbound tools/call ids remembered at most (a server that never answers must not grow this). */
const MAX_PENDING_CALLS = 1000;

type MessageHandler = NonNullable<Transport['onmessage']>;

export function tasksTransport<T extends Transport>(transport: T): T {
  const toolCalls = new Set<string | number>();
  const handlers: { onmessage?: Transport['onmessage'] } = { onmessage: transport.onmessage };

  const forward = (<M extends JSONRPCMessage>(message: M, extra?: MessageExtraInfo): void => {
    handlers.onmessage?.(adoptTaskResult(message, toolCalls), extra);
  }) as MessageHandler;
  transport.onmessage = forward;

  const send = (message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> => {
    if ('method' in message && 'id' in message) {
      if (message.method === 'tools/call') {
        if (toolCalls.size >= MAX_PENDING_CALLS) toolCalls.delete(toolCalls.values().next().value!);
        toolCalls.add(message.id);
      } else if (message.method.startsWith(ALIAS_PREFIX)) {
        return transport.send({ ...message, method: `tasks/${message.method.slice(ALIAS_PREFIX.length)}` }, options);
      }
    }
    return transport.send(message, options);
  };

  // Methods run against the real transport; each is bound once (the client reads them on every message), not per read.
  const bound = new Map<PropertyKey, { original: unknown; fn: unknown }>();
  return new Proxy(transport, {
    get(target, prop) {
      if (prop === 'send') return send;
      if (prop === 'onmessage') return handlers.onmessage;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      let entry = bound.get(prop);
      if (!entry || entry.original !== value) {
        entry = { original: value, fn: (value as (...a: unknown[]) => unknown).bind(target) };
        bound.set(prop, entry);
      }
      return entry.fn;
    },
    set(target, prop, value: unknown) {
      if (prop === 'onmessage') {
        handlers.onmessage = value as Transport['onmessage'];
        return true;
      }
      return Reflect.set(target, prop, value, target);
    },
  });
}

function adoptTaskResult<M extends JSONRPCMessage>(message: M, toolCalls: Set<string | number>): M {
  if (!('id' in message) || 'method' in message || !toolCalls.delete(message.id as string | number)) return message;
  const result = (message as { result?: Record<string, unknown> }).result;
  if (!result || typeof result !== 'object' || result.resultType !== 'task') return message;
  const { resultType: _resultType, ...task } = result;
  return { ...message, result: { resultType: 'complete', content: [], _meta: { [TASK_RESULT_META]: task } } } as M;
}
