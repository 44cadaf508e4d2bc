import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';

// Observes every message a transport sends and receives, without changing its
// behaviour. A Proxy rather than a wrapper class so transport-specific members
// (stderr, pid, finishAuth, terminateSession, protocolVersion…) stay reachable
// and `instanceof` still works. The observer sees a message before the client
// does; an observer that throws is ignored.

export type MessageObserver = (direction: 'in' | 'out', message: JSONRPCMessage) => void;

type MessageHandler = NonNullable<Transport['onmessage']>;

export function wrapTransport<T extends Transport>(transport: T, onMessage: MessageObserver): T {
  const observe = (direction: 'in' | 'out', message: JSONRPCMessage): void => {
    try {
      onMessage(direction, message);
    } catch {
      // Recording is best effort; it must never break the connection.
    }
  };

  // The callbacks the owner (Client/Protocol) installs on the proxy live here;
  // the inner transport always calls our forwarders.
  const handlers: { onmessage?: Transport['onmessage']; onclose?: Transport['onclose']; onerror?: Transport['onerror'] } = {
    onmessage: transport.onmessage,
    onclose: transport.onclose,
    onerror: transport.onerror,
  };

  const forwardMessage = (<M extends JSONRPCMessage>(message: M, extra?: MessageExtraInfo): void => {
    observe('in', message);
    handlers.onmessage?.(message, extra);
  }) as MessageHandler;
  transport.onmessage = forwardMessage;
  transport.onclose = () => handlers.onclose?.();
  transport.onerror = (error: Error) => handlers.onerror?.(error);

  const send = (message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> => {
    observe('out', message);
    return transport.send(message, options);
  };

  const bound = new Map<PropertyKey, unknown>();

  return new Proxy(transport, {
    get(target, prop) {
      if (prop === 'send') return send;
      if (prop === 'onmessage' || prop === 'onclose' || prop === 'onerror') return handlers[prop];
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // Methods run against the real transport (private fields, `this` state).
      let fn = bound.get(prop) as ((...args: unknown[]) => unknown) | undefined;
      if (!fn || (fn as { original?: unknown }).original !== value) {
        const original = value as (...args: unknown[]) => unknown;
        fn = Object.assign((...args: unknown[]) => original.apply(target, args), { original });
        bound.set(prop, fn);
      }
      return fn;
    },
    set(target, prop, value: unknown) {
      if (prop === 'onmessage' || prop === 'onclose' || prop === 'onerror') {
        (handlers as Record<string, unknown>)[prop] = value;
        return true;
      }
      return Reflect.set(target, prop, value, target);
    },
    has(target, prop) {
      return prop in target;
    },
  });
}
