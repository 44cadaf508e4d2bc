import { create } from 'zustand';
import { api, type ClientRequestView, type ServerMessage } from '../../api';

// Pending server->client requests (elicitation, sampling) and the messages
// servers send (logs, notifications). URL elicitations the user opened that a
// server will confirm (2025-11-25: they carry an elicitationId) stay listed as
// `opened` until the user closes them, marked completed when the server says so.

const MAX_MESSAGES = 1000;

export interface OpenedUrlElicitation {
  request: ClientRequestView;
  completed: boolean;
}

/** Completions seen for requests not (yet) listed as opened: the event can overtake the answer's reply. */
const MAX_EARLY = 100;

interface ClientFeaturesState {
  requests: ClientRequestView[];
  opened: OpenedUrlElicitation[];
  completedEarly: string[];
  messages: Record<string, ServerMessage[]>;
  init(): void;
  loadMessages(serverId: string): Promise<void>;
  removeRequest(requestId: string): void;
  /** The user opened a URL elicitation that carries an elicitationId: wait for its completion. */
  trackOpened(request: ClientRequestView): void;
  closeOpened(requestId: string): void;
}

let started = false;

export const useClientFeatures = create<ClientFeaturesState>((set) => ({
  requests: [],
  opened: [],
  completedEarly: [],
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
    api.onUrlElicitationComplete(({ requestId }) =>
      set((s) =>
        s.opened.some((o) => o.request.requestId === requestId)
          ? { opened: s.opened.map((o) => (o.request.requestId === requestId ? { ...o, completed: true } : o)) }
          : { completedEarly: [...s.completedEarly, requestId].slice(-MAX_EARLY) },
      ),
    );
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

  trackOpened(request) {
    set((s) => ({
      opened: [...s.opened.filter((o) => o.request.requestId !== request.requestId), { request, completed: s.completedEarly.includes(request.requestId) }],
      completedEarly: s.completedEarly.filter((id) => id !== request.requestId),
    }));
  },

  closeOpened(requestId) {
    set((s) => ({ opened: s.opened.filter((o) => o.request.requestId !== requestId) }));
  },
}));
