import { create } from 'zustand';
import { api, type ClientRequestView, type ServerMessage, type ToolDiff, type ToolProgress } from '../../api';

// Inspector state shared across views: call progress, pending server->client
// requests, tool drift, server messages, and counters that tell views to refresh.

const MAX_MESSAGES = 1000;

interface InspectState {
  progress: Record<string, ToolProgress>;
  requests: ClientRequestView[];
  diffs: Record<string, ToolDiff | null>;
  messages: Record<string, ServerMessage[]>;
  /** Bumped on list_changed per server and list, so views refetch. */
  listVersion: Record<string, number>;
  /** Last resources/updated time per server + uri. */
  updated: Record<string, number>;
  /** Latest traffic seq per server (views fetch afterSeq). */
  trafficSeq: Record<string, number>;
  historyVersion: number;
  init(): void;
  loadDiff(serverId: string): Promise<void>;
  loadMessages(serverId: string): Promise<void>;
  removeRequest(requestId: string): void;
}

let started = false;

export const useInspect = create<InspectState>((set) => ({
  progress: {},
  requests: [],
  diffs: {},
  messages: {},
  listVersion: {},
  updated: {},
  trafficSeq: {},
  historyVersion: 0,

  init() {
    if (started) return;
    started = true;
    api.onToolProgress((p) => set((s) => ({ progress: { ...s.progress, [p.callId]: p } })));
    api.onToolDiffChanged(({ serverId, diff }) => set((s) => ({ diffs: { ...s.diffs, [serverId]: diff } })));
    api.onListChanged(({ serverId, list }) => set((s) => ({ listVersion: { ...s.listVersion, [`${serverId}:${list}`]: (s.listVersion[`${serverId}:${list}`] ?? 0) + 1 } })));
    api.onResourceUpdated(({ serverId, uri }) => set((s) => ({ updated: { ...s.updated, [`${serverId} ${uri}`]: Date.now() } })));
    api.onServerMessages(({ serverId, messages }) =>
      set((s) => {
        const merged = [...(s.messages[serverId] ?? []), ...messages];
        return { messages: { ...s.messages, [serverId]: merged.length > MAX_MESSAGES ? merged.slice(-MAX_MESSAGES) : merged } };
      }),
    );
    api.onClientRequest((request) => set((s) => ({ requests: [...s.requests.filter((r) => r.requestId !== request.requestId), request] })));
    api.onClientRequestDone(({ requestId }) => set((s) => ({ requests: s.requests.filter((r) => r.requestId !== requestId) })));
    api.onHistoryAppended(() => set((s) => ({ historyVersion: s.historyVersion + 1 })));
    api.onTrafficAppended(({ servers }) => set((s) => ({ trafficSeq: { ...s.trafficSeq, ...Object.fromEntries(servers.map((x) => [x.serverId, x.lastSeq])) } })));
    void api.listClientRequests({}).then(({ requests }) => set({ requests }), () => undefined);
  },

  async loadDiff(serverId) {
    try {
      const { diff } = await api.getToolDiff({ serverId });
      set((s) => ({ diffs: { ...s.diffs, [serverId]: diff } }));
    } catch {
      /* removed meanwhile */
    }
  },

  async loadMessages(serverId) {
    try {
      const { messages } = await api.getServerMessages({ serverId });
      set((s) => ({ messages: { ...s.messages, [serverId]: messages } }));
    } catch {
      /* removed meanwhile */
    }
  },

  removeRequest(requestId) {
    set((s) => ({ requests: s.requests.filter((r) => r.requestId !== requestId) }));
  },
}));

let counter = 0;
export const newCallId = (): string => `call-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
