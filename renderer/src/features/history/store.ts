import { create } from 'zustand';
import { api, errorMessage, type CallStatus, type HistoryFacetsView, type HistoryRecordView, type HistorySummaryView } from '../../api';

// The history view pages through the core: only the pages under the viewport
// are fetched and kept, so 100k records cost a few hundred rows in memory.

export const PAGE_SIZE = 200;
const MAX_PAGES = 30;

export interface HistoryFilters {
  text: string;
  serverId: string;
  tool: string;
  status: '' | CallStatus;
  /** A gateway client's name; '' for calls made in Switchboard itself; undefined for all. */
  client?: string;
}

interface HistoryState {
  filters: HistoryFilters;
  total?: number;
  pages: Record<number, HistorySummaryView[]>;
  /** Bumped whenever cached pages become invalid (filters changed, new records). */
  generation: number;
  loading: Record<number, boolean>;
  error?: string;
  facets?: HistoryFacetsView;
  selectedId?: string;
  record?: HistoryRecordView;
  recordError?: string;
  /** Bumped on historyAppended (throttled in the core), so the view refetches. */
  appended: number;
  init(): void;
  setFilters(patch: Partial<HistoryFilters>): void;
  invalidate(): void;
  ensurePage(page: number): void;
  loadFacets(): Promise<void>;
  select(id: string | undefined): Promise<void>;
}

let started = false;

export const useHistory = create<HistoryState>((set, get) => ({
  filters: { text: '', serverId: '', tool: '', status: '' },
  pages: {},
  generation: 0,
  loading: {},
  appended: 0,

  init() {
    if (started) return;
    started = true;
    api.onHistoryAppended(() => set((s) => ({ appended: s.appended + 1 })));
  },

  setFilters(patch) {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    get().invalidate();
  },

  invalidate() {
    set((s) => ({ pages: {}, loading: {}, generation: s.generation + 1 }));
    get().ensurePage(0);
  },

  ensurePage(page) {
    const { pages, loading, filters, generation } = get();
    if (pages[page] || loading[page]) return;
    set((s) => ({ loading: { ...s.loading, [page]: true } }));
    api
      .queryHistory({
        text: filters.text || undefined,
        serverId: filters.serverId || undefined,
        tool: filters.tool || undefined,
        status: filters.status || undefined,
        client: filters.client,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      })
      .then(
        ({ total, records }) => {
          if (get().generation !== generation) return; // a stale answer for old filters
          set((s) => {
            const next = { ...s.pages, [page]: records };
            const keys = Object.keys(next).map(Number);
            // Keep the cache bounded: drop the pages farthest from this one.
            if (keys.length > MAX_PAGES)
              for (const k of keys.sort((a, b) => Math.abs(b - page) - Math.abs(a - page)).slice(0, keys.length - MAX_PAGES)) delete next[k];
            const { [page]: _done, ...loadingRest } = s.loading;
            return { total, pages: next, loading: loadingRest, error: undefined };
          });
        },
        (e) => {
          if (get().generation !== generation) return;
          set((s) => {
            const { [page]: _done, ...loadingRest } = s.loading;
            return { loading: loadingRest, error: errorMessage(e) };
          });
        },
      );
  },

  async loadFacets() {
    try {
      set({ facets: await api.historyFacets({}) });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },

  async select(id) {
    set({ selectedId: id, record: undefined, recordError: undefined });
    if (!id) return;
    try {
      const { record } = await api.getHistoryRecord({ id });
      if (get().selectedId === id) set({ record });
    } catch (e) {
      if (get().selectedId === id) set({ recordError: errorMessage(e) });
    }
  },
}));
