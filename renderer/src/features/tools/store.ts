import { create } from 'zustand';
import { api, type ToolDiff, type ToolProgress } from '../../api';

// Tool state shared across views: progress of calls in flight and tool drift per server.

interface ToolsState {
  progress: Record<string, ToolProgress>;
  diffs: Record<string, ToolDiff | null>;
  /** The chosen tool per server (kept across tab, server and view switches). */
  selected: Record<string, string | undefined>;
  /** A tool whose form should take focus once it shows (Enter in the list, the palette). */
  focusForm?: { serverId: string; tool: string };
  init(): void;
  selectTool(serverId: string, tool: string | undefined, options?: { focusForm?: boolean }): void;
  formFocused(): void;
  loadDiff(serverId: string): Promise<void>;
}

let started = false;

export const useTools = create<ToolsState>((set) => ({
  progress: {},
  diffs: {},
  selected: {},

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
