import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/client';

// The one way JSON-RPC traffic gets recorded, for every transport: the
// inspector hands wrapTransport an observer, and every message each way reaches
// it before the client (or the wire) does. An observer that throws is ignored.
//
// A transport that reports its own traffic (a TrafficSource) gets the observer
// installed and is returned as is: our stdio transport reports the serialized
// line it already has (the JSON text it read, or wrote), so the call path keeps
// one string per message instead of holding the message's objects until the
// recorder parses and redacts it off the call path; the remote transport
// reports the messages the client never sees (a session re-initialize).
// Any other transport is wrapped in a Proxy rather than a wrapper class, so
// transport-specific members (stderr, pid, finishAuth, terminateSession,
// protocolVersion…) stay reachable and `instanceof` still works.

/** A message, or the JSON text of one exactly as it went over the wire (a JSON-RPC message is never a bare string). */
export type TrafficMessage = JSONRPCMessage | string;

export type MessageObserver = (direction: 'in' | 'out', message: TrafficMessage) => void;

/** A transport that reports every message it sends and receives itself. */
export interface TrafficSource {
  observeTraffic(observer: MessageObserver): void;
}

export function isTrafficSource(transport: object): transport is TrafficSource {
  return typeof (transport as Partial<TrafficSource>).observeTraffic === 'function';
}

type MessageHandler = NonNullable<Transport['onmessage']>;

export function wrapTransport<T extends Transport>(transport: T, onMessage: MessageObserver): T {
  const observe = (direction: 'in' | 'out', message: TrafficMessage): void => {
    try {
      onMessage(direction, message);
    } catch {
      // Recording is best effort; it must never break the connection.
    }
  };

  if (isTrafficSource(transport)) {
    transport.observeTraffic(observe);
    return transport;
  }

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
