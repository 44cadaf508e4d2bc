import { create } from 'zustand';
import { api, type CallToolResponse, type ToolDiff, type ToolProgress } from '../../api';

// Tool state shared across views: progress of calls in flight, tool drift per
// server, and each server's tool forms and last results (kept across switches
// of server, tab, tool and view, for the session).

/** One tool's form and last call, for one server. */
export interface ToolSession {
  value: unknown;
  mode: 'form' | 'json';
  raw: string;
  timeoutSec: string;
  skipValidation: boolean;
  asTask: boolean;
  /** The call in flight. */
  callId?: string;
  response?: CallToolResponse;
  /** The arguments of the call whose result is shown (an app gets them as tool-input). */
  calledWith?: Record<string, unknown>;
  error?: string;
  fieldErrors: Record<string, string>;
}

/** The store key of a server's tool (a replay from History gets one of its own). */
export const sessionKey = (serverId: string, tool: string, replay?: string): string =>
  replay ? `replay\u0000${serverId}\u0000${tool}\u0000${replay}` : `tool\u0000${serverId}\u0000${tool}`;

interface ToolsState {
  progress: Record<string, ToolProgress>;
  diffs: Record<string, ToolDiff | null>;
  /** The chosen tool per server (kept across tab, server and view switches). */
  selected: Record<string, string | undefined>;
  /** A tool whose form should take focus once it shows (Enter in the list, the palette). */
  focusForm?: { serverId: string; tool: string };
  sessions: Record<string, ToolSession>;
  /** Change a tool's form or result (`fresh` is its state before the first change). */
  patchSession(key: string, patch: Partial<ToolSession>, fresh: ToolSession): void;
  /** Forget a server's forms and results (it was removed). */
  dropServer(serverId: string): void;
  init(): void;
  selectTool(serverId: string, tool: string | undefined, options?: { focusForm?: boolean }): void;
  formFocused(): void;
  loadDiff(serverId: string): Promise<void>;
}

let started = false;

export const useTools = create<ToolsState>((set, get) => ({
  progress: {},
  diffs: {},
  selected: {},
  sessions: {},

  patchSession(key, patch, fresh) {
    set((s) => ({ sessions: { ...s.sessions, [key]: { ...(s.sessions[key] ?? fresh), ...patch } } }));
  },

  dropServer(serverId) {
    set((s) => {
      const marker = `\u0000${serverId}\u0000`;
      const sessions = Object.fromEntries(Object.entries(s.sessions).filter(([key]) => !key.includes(marker)));
      const { [serverId]: _dropped, ...selected } = s.selected;
      return { sessions, selected };
    });
  },

  selectTool(serverId, tool, options) {
    set((s) => ({
      selected: { ...s.selected, [serverId]: tool },
      ...(options?.focusForm && tool ? { focusForm: { serverId, tool } } : {}),
    }));
  },

  formFocused() {
    set({ focusForm: undefined });
  },

  init() {
    if (started) return;
    started = true;
    api.onToolProgress((p) => set((s) => ({ progress: { ...s.progress, [p.callId]: p } })));
    api.onToolDiffChanged(({ serverId, diff }) => set((s) => ({ diffs: { ...s.diffs, [serverId]: diff } })));
    api.onServerRemoved(({ serverId }) => get().dropServer(serverId));
  },

  async loadDiff(serverId) {
    try {
      const { diff } = await api.getToolDiff({ serverId });
      set((s) => ({ diffs: { ...s.diffs, [serverId]: diff } }));
    } catch {
      /* removed meanwhile */
    }
  },
}));

let counter = 0;
export const newCallId = (): string => `call-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
