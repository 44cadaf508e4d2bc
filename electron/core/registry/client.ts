import { IpcError } from '../../../shared/contract/errors';
import type { FetchPort } from '../ports';
import { readItem, type ServerJson } from './server-json';

// The registry's v0.1 REST API. Responses are hostile input: bodies are read up
// to a cap, pages are cut to a number of entries, and entries that are not
// active (deleted, deprecated) are skipped.

export const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const MAX_ENTRIES = 100;
export const PAGE_LIMIT = 30;
const TIMEOUT_MS = 20_000;

export interface RegistryItem {
  server: ServerJson;
  status: string;
}

export interface RegistryPage {
  items: RegistryItem[];
  nextCursor?: string;
  /** Entries left out: not active, or not a valid server.json. */
  skipped: number;
}

/** Reads a body up to `max` bytes, cancelling the stream beyond it. */
export async function readBounded(res: Response, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) throw new IpcError('VALIDATION', `${what} is too large (${declared} bytes; the limit is ${max}).`);
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new IpcError('VALIDATION', `${what} is too large (more than ${max} bytes).`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export class RegistryClient {
  constructor(
    private readonly baseUrl: URL,
    private readonly fetchImpl: FetchPort = fetch,
  ) {}

  async search(search: string | undefined, cursor: string | undefined, limit = PAGE_LIMIT): Promise<RegistryPage> {
    const query = new URLSearchParams({ limit: String(limit), version: 'latest' });
    if (search?.trim()) query.set('search', search.trim());
    if (cursor) query.set('cursor', cursor);
    const body = await this.get(`v0.1/servers?${query.toString()}`);
    return this.page(body);
  }

  /** Every active version of a server (one page of up to MAX_ENTRIES). */
  async versions(name: string): Promise<RegistryItem[]> {
    return this.page(await this.get(`v0.1/servers/${encodeURIComponent(name)}/versions`)).items;
  }

  async version(name: string, version: string): Promise<RegistryItem> {
    const item = readItem(await this.get(`v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`));
    if (!item || item.server.name !== name) throw new IpcError('NOT_FOUND', `The registry has no valid server.json for ${name} ${version}.`);
    if (item.status !== 'active') throw new IpcError('VALIDATION', `${name} ${version} is ${item.status} in the registry; it cannot be installed.`);
    return item;
  }

  private page(body: unknown): RegistryPage {
    const doc = (typeof body === 'object' && body !== null ? body : {}) as { servers?: unknown; metadata?: { nextCursor?: unknown } };
    const raw = Array.isArray(doc.servers) ? doc.servers.slice(0, MAX_ENTRIES) : [];
    const items: RegistryItem[] = [];
    for (const r of raw) {
      const item = readItem(r);
      if (item && item.status === 'active') items.push(item);
    }
    const cursor = doc.metadata?.nextCursor;
    return { items, nextCursor: typeof cursor === 'string' && cursor && cursor.length <= 1024 ? cursor : undefined, skipped: raw.length - items.length };
  }

  private async get(path: string): Promise<unknown> {
    const url = new URL(path, this.baseUrl.href.endsWith('/') ? this.baseUrl : new URL(`${this.baseUrl.href}/`));
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new IpcError('CONNECTION_FAILED', `Could not reach the registry at ${this.baseUrl.host}: ${(error as Error).message}`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new IpcError('NOT_FOUND', `The registry at ${this.baseUrl.host} has no ${url.pathname.slice(0, 200)}.`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new IpcError('CONNECTION_FAILED', `The registry at ${this.baseUrl.host} answered HTTP ${res.status}.`);
    }
    const bytes = await readBounded(res, MAX_BODY_BYTES, 'The registry response');
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch {
      throw new IpcError('VALIDATION', `The registry at ${this.baseUrl.host} did not answer with JSON.`);
    }
  }
}
