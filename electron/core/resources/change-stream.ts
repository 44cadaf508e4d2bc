import type { Client, SubscriptionFilter } from '@modelcontextprotocol/client';

// On a 2026-07-28 (modern) connection, change notifications arrive only on a
// subscriptions/listen stream the client opens: list changes (tools, prompts,
// resources) and the resources it subscribed to. One stream per connection,
// re-opened with the new filter when the subscriptions change, and again after
// the stream drops while the connection lives. The notifications dispatch
// through the handlers the client factory registered, as on a 2025 connection
// (where subscribeResource and unsolicited list changes do the same job).

const MAX_RELISTENS = 5;
const RELISTEN_DELAY_MS = 1000;

interface Stream {
  client: Client;
  uris: string[];
  subscription?: { readonly honoredFilter: SubscriptionFilter; close(): Promise<void>; readonly closed: Promise<'local' | 'graceful' | 'remote'> };
  relistens: number;
  /** Bumped on every re-open: an older stream's closing does not re-listen. */
  generation: number;
}

export class ChangeStreams {
  private readonly streams = new Map<string, Stream>();

  static isModern(client: Client): boolean {
    return client.getProtocolEra() === 'modern';
  }

  /** Opens the stream of a new modern connection (nothing for a legacy one); failures end up in onError. */
  async open(serverId: string, client: Client, uris: string[] = [], onError?: (error: Error) => void): Promise<void> {
    await this.close(serverId);
    if (!ChangeStreams.isModern(client)) return;
    const stream: Stream = { client, uris, relistens: 0, generation: 0 };
    this.streams.set(serverId, stream);
    await this.listen(serverId, stream).catch((error: Error) => onError?.(error));
  }

  /** Re-opens the stream with these resource subscriptions; resolves with the URIs the server honours. */
  async setResources(serverId: string, client: Client, uris: string[]): Promise<string[]> {
    let stream = this.streams.get(serverId);
    if (!stream || stream.client !== client) {
      stream = { client, uris, relistens: 0, generation: 0 };
      this.streams.set(serverId, stream);
    }
    stream.uris = uris;
    await this.listen(serverId, stream);
    return stream.subscription?.honoredFilter.resourceSubscriptions ?? [];
  }

  async close(serverId: string): Promise<void> {
    const stream = this.streams.get(serverId);
    if (!stream) return;
    this.streams.delete(serverId);
    stream.generation++;
    await stream.subscription?.close().catch(() => undefined);
  }

  private async listen(serverId: string, stream: Stream): Promise<void> {
    const caps = stream.client.getServerCapabilities() ?? {};
    const filter: SubscriptionFilter = {
      ...(caps.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps.resources?.listChanged ? { resourcesListChanged: true } : {}),
      ...(caps.resources?.subscribe && stream.uris.length ? { resourceSubscriptions: stream.uris } : {}),
    };
    const generation = ++stream.generation;
    const previous = stream.subscription;
    stream.subscription = undefined;
    if (Object.keys(filter).length === 0) {
      await previous?.close().catch(() => undefined);
      return;
    }
    // The new stream first, then the old one closes: no gap in which a change goes unheard.
    const subscription = await stream.client.listen(filter);
    await previous?.close().catch(() => undefined);
    if (generation !== stream.generation || this.streams.get(serverId) !== stream) {
      await subscription.close().catch(() => undefined);
      return;
    }
    stream.subscription = subscription;
    void subscription.closed.then((reason) => {
      if (reason !== 'remote' || generation !== stream.generation || this.streams.get(serverId) !== stream) return;
      if (stream.relistens >= MAX_RELISTENS) return;
      stream.relistens++;
      setTimeout(() => {
        if (generation === stream.generation && this.streams.get(serverId) === stream) void this.listen(serverId, stream).catch(() => undefined);
      }, RELISTEN_DELAY_MS).unref?.();
    });
  }
}
