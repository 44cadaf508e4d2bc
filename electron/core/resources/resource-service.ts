import { UriTemplate, type Client } from '@modelcontextprotocol/client';
import type { ResourceContentView, ResourceTemplateView, ResourceView } from '../../../shared/contract';
import { IpcError } from '../../../shared/contract';
import { protocol } from '../ipc/protocol';
import type { ServerManager } from '../servers';
import { ChangeStreams } from './change-stream';

// A server's resources: lists, templates (expanded here per RFC 6570), reads,
// and the subscriptions made in this session (resources/subscribe on a 2025
// connection, the subscriptions/listen stream on a 2026-07-28 one).

/** Resource subscriptions one server's connection keeps at most (the UI's and the gateway clients' together). */
const MAX_SUBSCRIPTIONS_PER_SERVER = 1000;

const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class ResourceService {
  private readonly subscriptions = new Map<string, Set<string>>();
  private readonly streams = new ChangeStreams();
  /** Per server, the subscription change under way (changes run one at a time). */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly servers: () => ServerManager,
    private readonly onStreamError?: (serverId: string, error: Error) => void,
  ) {}

  /** A new connection starts without subscriptions; a modern one opens its change stream (list changes). */
  onConnected(serverId: string, client?: Client): void {
    this.subscriptions.delete(serverId);
    if (client) void this.streams.open(serverId, client, [], (error) => this.onStreamError?.(serverId, error));
    else void this.streams.close(serverId);
  }

  onDisconnected(serverId: string): Promise<void> {
    this.subscriptions.delete(serverId);
    return this.streams.close(serverId);
  }

  async list(serverId: string, cursor?: string): Promise<{ resources: ResourceView[]; nextCursor?: string }> {
    const result = await protocol(() => this.servers().client(serverId).listResources(cursor ? { cursor } : undefined));
    return {
      resources: result.resources.map((r) => ({ uri: r.uri, name: r.name, title: asString(r.title), description: asString(r.description), mimeType: asString(r.mimeType), size: asNumber((r as { size?: unknown }).size) })),
      nextCursor: asString(result.nextCursor),
    };
  }

  async listTemplates(serverId: string, cursor?: string): Promise<{ templates: ResourceTemplateView[]; nextCursor?: string }> {
    const result = await protocol(() => this.servers().client(serverId).listResourceTemplates(cursor ? { cursor } : undefined));
    return {
      templates: result.resourceTemplates.map((t) => ({ uriTemplate: t.uriTemplate, name: t.name, title: asString(t.title), description: asString(t.description), mimeType: asString(t.mimeType), variables: templateVariables(t.uriTemplate) })),
      nextCursor: asString(result.nextCursor),
    };
  }

  async read(serverId: string, req: { uri?: string; uriTemplate?: string; variables?: Record<string, string> }): Promise<{ uri: string; contents: ResourceContentView[] }> {
    let uri = req.uri;
    if (!uri && req.uriTemplate) {
      try {
        uri = new UriTemplate(req.uriTemplate).expand(req.variables ?? {});
      } catch (error) {
        throw new IpcError('VALIDATION', `The URI template could not be expanded: ${(error as Error).message}`, { uriTemplate: (error as Error).message });
      }
    }
    if (!uri) throw new IpcError('VALIDATION', 'Give a resource URI.', { uri: 'A URI is required.' });
    const target = uri;
    const result = await protocol(() => this.servers().client(serverId).readResource({ uri: target }));
    return {
      uri: target,
      contents: result.contents.map((c) => {
        const item = c as { uri: string; mimeType?: unknown; text?: unknown; blob?: unknown };
        return { uri: item.uri, mimeType: asString(item.mimeType), text: asString(item.text), blob: asString(item.blob) };
      }),
    };
  }

  /**
   * Subscribes to (or from) one resource's updates. One change at a time per server: each reads the set, waits for the
   * server, then stores it, so two at once (a gateway listen stream naming many URIs) would lose all but one.
   */
  subscribe(serverId: string, uri: string, on: boolean): Promise<void> {
    const previous = this.pending.get(serverId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.subscribeNow(serverId, uri, on));
    const settled = next.catch(() => undefined);
    this.pending.set(serverId, settled);
    void settled.then(() => {
      if (this.pending.get(serverId) === settled) this.pending.delete(serverId);
    });
    return next;
  }
  private async subscribeNow(serverId: string, uri: string, on: boolean): Promise<void> {
    const client = this.servers().client(serverId);
    const set = new Set(this.subscriptions.get(serverId) ?? []);
    if (on && !set.has(uri) && set.size >= MAX_SUBSCRIPTIONS_PER_SERVER)
      throw new IpcError('CONFLICT', `At most ${MAX_SUBSCRIPTIONS_PER_SERVER} resource subscriptions per server; unsubscribe from some first.`);
    if (on) set.add(uri);
    else set.delete(uri);
    if (ChangeStreams.isModern(client)) {
      const honoured = await protocol(() => this.streams.setResources(serverId, client, [...set]));
      if (on && !honoured.includes(uri)) {
        await this.streams.setResources(serverId, client, [...set].filter((u) => u !== uri)).catch(() => undefined);
        throw new IpcError('PROTOCOL_ERROR', 'The server does not offer updates for this resource (it did not accept the subscription).');
      }
    } else await protocol(() => (on ? client.subscribeResource({ uri }) : client.unsubscribeResource({ uri })));
    this.subscriptions.set(serverId, set);
  }

  subscribed(serverId: string): string[] {
    return [...(this.subscriptions.get(serverId) ?? [])];
  }
}

function templateVariables(template: string): string[] {
  try {
    return [...new Set(new UriTemplate(template).variableNames)];
  } catch {
    return [];
  }
}
