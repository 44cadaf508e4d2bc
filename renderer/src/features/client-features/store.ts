import { create } from 'zustand';
import { api, type ClientRequestView, type ServerMessage } from '../../api';

// Pending server->client requests (elicitation, sampling) and the messages
// servers send (logs, notifications).

const MAX_MESSAGES = 1000;

interface ClientFeaturesState {
  requests: ClientRequestView[];
  messages: Record<string, ServerMessage[]>;
  init(): void;
  loadMessages(serverId: string): Promise<void>;
  removeRequest(requestId: string): void;
}

let started = false;

export const useClientFeatures = create<ClientFeaturesState>((set) => ({
  requests: [],
  messages: {},

  init() {
    if (started) return;
    started = true;
    api.onServerMessages(({ serverId, messages }) =>
      set((s) => {
        const merged = [...(s.messages[serverId] ?? []), ...messages];
        return { messages: { ...s.messages, [serverId]: merged.length > MAX_MESSAGES ? merged.slice(-MAX_MESSAGES) : merged } };
      }),
    );
    api.onClientRequest((request) => set((s) => ({ requests: [...s.requests.filter((r) => r.requestId !== request.requestId), request] })));
    api.onClientRequestDone(({ requestId }) => set((s) => ({ requests: s.requests.filter((r) => r.requestId !== requestId) })));
    void api.listClientRequests({}).then(
      ({ requests }) => set({ requests }),
      () => undefined,
    );
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
