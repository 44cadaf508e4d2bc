import type { Client } from '@modelcontextprotocol/client';
import type { HttpExchange } from './auth';

// Cross-feature events inside the core, on one typed bus. A feature announces
// what happened to it; the features that care subscribe when app-core composes
// them, so no feature needs a reference to one composed after it.
//
// Not the renderer's events (those are the contract's, sent with Emit).

export interface CoreHooks {
  /** A server's connection is up and initialized. */
  serverConnected: { serverId: string; client: Client };
  /** A server was removed from the configuration; per-server state should go (history stays). */
  serverRemoved: { serverId: string };
  /** The server said its tool list changed (tools/list_changed). */
  toolListChanged: { serverId: string; client: Client };
  /** A sign-in or step-up finished: a server that is down should connect with the new grant. */
  signedIn: { serverId: string };
  /** The grant is gone (signed out, revoked, or refused at refresh): the server cannot stay connected. */
  signedOut: { serverId: string };
  /** An OAuth or MCP HTTP exchange finished (for the traffic view). */
  httpExchange: { serverId: string; exchange: HttpExchange };
}

export type HookName = keyof CoreHooks;
type Handler<K extends HookName> = (payload: CoreHooks[K]) => void | Promise<void>;

export class HookBus {
  private readonly handlers = new Map<HookName, Handler<HookName>[]>();

  constructor(private readonly onError: (hook: HookName, error: unknown) => void = () => undefined) {}

  on<K extends HookName>(name: K, handler: Handler<K>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<HookName>);
    this.handlers.set(name, list);
    return () => {
      const at = list.indexOf(handler as Handler<HookName>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Runs the handlers in subscription order, synchronously up to their first await. One failing handler never stops the others. */
  emit<K extends HookName>(name: K, payload: CoreHooks[K]): void {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        const result = handler(payload);
        if (result instanceof Promise) result.catch((error) => this.onError(name, error));
      } catch (error) {
        this.onError(name, error);
      }
    }
  }

  /** Like emit, and resolves once every handler has finished (sequentially, in subscription order). */
  async emitAndWait<K extends HookName>(name: K, payload: CoreHooks[K]): Promise<void> {
    for (const handler of [...(this.handlers.get(name) ?? [])]) {
      try {
        await handler(payload);
      } catch (error) {
        this.onError(name, error);
      }
    }
  }
}
