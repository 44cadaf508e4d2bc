import type { RouteDecision } from '../client-features';

// Who answers an upstream's elicitation or sampling request that arrives while
// gateway calls run on that server. The wire does not say which call caused it
// (over stdio a 2025-era request carries no related request id), so the gateway
// routes only what it can attribute: exactly one call running on that server,
// from a downstream client that declared the capability (a 2025 session: the
// request goes on that call's own stream). Anything else goes to Switchboard's
// dialog, naming the client (or the clients) whose calls were running: never
// to a client that might not have caused it.

export interface CallOrigin {
  clientName(): string;
  /** Sends the request to the downstream client on the call's stream, if it declared the capability for it. */
  delegate(method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<unknown> | undefined;
}

export class GatewayRouting {
  private readonly running = new Map<string, Set<CallOrigin>>();

  constructor(private readonly ownCallsOn: (serverId: string) => number) {}

  /** A gateway call started on a server; the returned function ends it. */
  begin(serverId: string, origin: CallOrigin): () => void {
    let set = this.running.get(serverId);
    if (!set) this.running.set(serverId, (set = new Set()));
    set.add(origin);
    return () => {
      set.delete(origin);
      if (set.size === 0 && this.running.get(serverId) === set) this.running.delete(serverId);
    };
  }

  route(serverId: string, request: { method: string; params: Record<string, unknown> }, signal: AbortSignal): RouteDecision | undefined {
    const origins = this.running.get(serverId);
    if (!origins?.size) return undefined;
    const own = this.ownCallsOn(serverId);
    if (origins.size === 1 && own === 0) {
      const [origin] = origins;
      const result = origin!.delegate(request.method, request.params, signal);
      if (result) return { result };
      return { clientName: origin!.clientName() };
    }
    const names = [...new Set([...origins].map((o) => o.clientName()))];
    if (own > 0) names.push('Switchboard');
    return { clientName: names.join(' or ') };
  }
}
