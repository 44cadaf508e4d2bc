import type { HistoryFacets, HistoryPage, HistoryQuery, HistoryRecord, HistoryStatus, HistorySummary } from './record';
import { SearchIndex } from './search-index';
import { searchText, summarize } from './summarize';

// The in-memory side of the history store: one summary per record with its
// place on disk, the search index and the facet counts behind the history
// view's filters. Knows nothing about files beyond segment numbers.

const DEFAULT_LIMIT = 100;

export interface IndexEntry {
  summary: HistorySummary;
  file: number;
  offset: number;
  length: number;
}

export class RecordIndex {
  /** Chronological (oldest first); segments are deleted oldest first, so pruning drops a prefix. */
  private entries: IndexEntry[] = [];
  /** entries[k] is record ordinal firstOrdinal + k in the search index. */
  private firstOrdinal = 0;
  private readonly search = new SearchIndex();
  /** One copy of each server id/name/tool string instead of one per record. */
  private readonly interned = new Map<string, string>();
  private readonly byId = new Map<string, IndexEntry>();
  private readonly serverCounts = new Map<string, { name: string; count: number }>();
  private readonly toolCounts = new Map<string, number>();
  private readonly statusCounts = new Map<HistoryStatus, number>();
  private readonly clientCounts = new Map<string, number>();

  get size(): number {
    return this.entries.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  entry(id: string): IndexEntry | undefined {
    return this.byId.get(id);
  }

  query(q: HistoryQuery = {}): HistoryPage {
    const needle = q.text?.trim().toLowerCase() || undefined;
    const { serverId, tool, status, client } = q;
    const limit = q.limit ?? DEFAULT_LIMIT;
    const offset = q.offset ?? 0;
    const records: HistorySummary[] = [];
    let total = 0;
    const entries = this.entries;
    const consider = (s: HistorySummary): void => {
      if (serverId !== undefined && s.serverId !== serverId) return;
      if (tool !== undefined && s.tool !== tool) return;
      if (status !== undefined && s.status !== status) return;
      if (client !== undefined && (s.client ?? '') !== client) return;
      if (total >= offset && records.length < limit) records.push(s);
      total++;
    };
    if (needle === undefined) {
      for (let i = entries.length - 1; i >= 0; i--) consider(entries[i]!.summary);
    } else {
      const hits = this.search.search(needle);
      for (let i = hits.length - 1; i >= 0; i--) consider(entries[hits[i]! - this.firstOrdinal]!.summary);
    }
    return { total, records };
  }

  facets(): HistoryFacets {
    const byName = <T>(a: { name: T }, b: { name: T }): number => String(a.name).localeCompare(String(b.name));
    return {
      servers: [...this.serverCounts]
        .map(([id, v]) => ({ id, name: v.name, count: v.count }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
      tools: [...this.toolCounts].map(([name, count]) => ({ name, count })).sort(byName),
      statuses: [...this.statusCounts].map(([status, count]) => ({ status, count })).sort((a, b) => a.status.localeCompare(b.status)),
      clients: [...this.clientCounts].map(([name, count]) => ({ name, count })).sort(byName),
    };
  }

  add(record: HistoryRecord, file: number, offset: number, length: number): IndexEntry {
    const summary = summarize(record);
    summary.serverId = this.intern(summary.serverId);
    summary.serverName = this.intern(summary.serverName);
    summary.tool = this.intern(summary.tool);
    if (summary.client !== undefined) {
      summary.client = this.intern(summary.client);
      this.clientCounts.set(summary.client, (this.clientCounts.get(summary.client) ?? 0) + 1);
    }
    const entry: IndexEntry = { summary, file, offset, length };
    this.search.add(searchText(record));
    this.entries.push(entry);
    this.byId.set(record.id, entry);
    const server = this.serverCounts.get(record.serverId);
    if (server) {
      server.count++;
      server.name = record.serverName; // newest name wins (servers get renamed)
    } else this.serverCounts.set(record.serverId, { name: record.serverName, count: 1 });
    this.toolCounts.set(record.tool, (this.toolCounts.get(record.tool) ?? 0) + 1);
    this.statusCounts.set(record.status, (this.statusCounts.get(record.status) ?? 0) + 1);
    return entry;
  }

  /** Forgets every record stored in segment `file` or older; returns their ids. */
  dropThrough(file: number): string[] {
    const dropped: string[] = [];
    let n = 0;
    while (n < this.entries.length && this.entries[n]!.file <= file) {
      const e = this.entries[n]!;
      this.byId.delete(e.summary.id);
      dropped.push(e.summary.id);
      this.uncount(e.summary);
      n++;
    }
    if (n > 0) {
      this.entries.splice(0, n);
      this.firstOrdinal += n;
      this.search.dropBefore(this.firstOrdinal);
    }
    return dropped;
  }

  clear(): void {
    this.entries = [];
    this.firstOrdinal = 0;
    this.search.clear();
    this.interned.clear();
    this.byId.clear();
    this.serverCounts.clear();
    this.toolCounts.clear();
    this.statusCounts.clear();
    this.clientCounts.clear();
  }

  private intern(s: string): string {
    const existing = this.interned.get(s);
    if (existing !== undefined) return existing;
    this.interned.set(s, s);
    return s;
  }

  private uncount(s: HistorySummary): void {
    const server = this.serverCounts.get(s.serverId);
    if (server && --server.count <= 0) this.serverCounts.delete(s.serverId);
    const tools = (this.toolCounts.get(s.tool) ?? 0) - 1;
    if (tools <= 0) this.toolCounts.delete(s.tool);
    else this.toolCounts.set(s.tool, tools);
    if (s.client !== undefined) {
      const clients = (this.clientCounts.get(s.client) ?? 0) - 1;
      if (clients <= 0) this.clientCounts.delete(s.client);
      else this.clientCounts.set(s.client, clients);
    }
    const statuses = (this.statusCounts.get(s.status) ?? 0) - 1;
    if (statuses <= 0) this.statusCounts.delete(s.status);
    else this.statusCounts.set(s.status, statuses);
  }
}
