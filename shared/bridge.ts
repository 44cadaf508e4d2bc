import type { Envelope } from './contract/errors';
import type { EventName, MethodName, PayloadOf, SwitchboardApi } from './contract/index';
import { IpcError } from './contract/ipc-error';

// The object the preload puts on `window.switchboard`: one function per contract
// method (resolving to the error envelope) and one `onX` per event. The e2e bridge
// injects the very same builder into Chromium, so the two cannot drift.

type ListenerKey<E extends string> = `on${Capitalize<E>}`;
export type SwitchboardBridge = { [M in MethodName]: (request: unknown) => Promise<Envelope> } & {
  [E in EventName as ListenerKey<E>]: (listener: (payload: PayloadOf<E>) => void) => () => void;
};

/**
 * Must stay self-contained (no imports, no outer references): the e2e harness
 * serialises it with Function.prototype.toString into an init script.
 */
export function buildBridge(
  methodNames: readonly string[],
  eventNames: readonly string[],
  invoke: (channel: string, request: unknown) => Promise<unknown>,
  subscribe: (channel: string, listener: (payload: unknown) => void) => () => void,
): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const name of methodNames) {
    const channel = 'switchboard:call:' + name;
    api[name] = (request: unknown) => invoke(channel, request === undefined ? {} : request);
  }
  for (const name of eventNames) {
    const channel = 'switchboard:event:' + name;
    const key = 'on' + name.charAt(0).toUpperCase() + name.slice(1);
    api[key] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(key + ' expects a function');
      return subscribe(channel, listener);
    };
  }
  return Object.freeze(api);
}

export const isListenerKey = (key: string): boolean => /^on[A-Z]/.test(key);

/**
 * The renderer's typed client: unwraps envelopes and throws IpcError with the
 * typed code. It walks the bridge's own keys (which the preload derived from the
 * contract), so the renderer bundle needs no schemas at runtime.
 */
export function createClient(bridge: SwitchboardBridge): SwitchboardApi {
  const client: Record<string, unknown> = {};
  const raw = bridge as unknown as Record<string, (arg: unknown) => unknown>;
  const keys = Object.keys(raw);
  for (const name of keys.filter((k) => !isListenerKey(k))) {
    client[name] = async (request: unknown) => {
      const envelope = (await raw[name]!(request)) as Envelope;
      if (envelope.ok) return envelope.value;
      throw new IpcError(envelope.error.code, envelope.error.message, envelope.error.details);
    };
  }
  for (const key of keys.filter(isListenerKey)) client[key] = raw[key];
  return client as SwitchboardApi;
}
