import { create } from 'zustand';
import { api, type ToolDiff, type ToolProgress } from '../../api';

// Tool state shared across views: progress of calls in flight and tool drift per server.

interface ToolsState {
  progress: Record<string, ToolProgress>;
  diffs: Record<string, ToolDiff | null>;
  init(): void;
  loadDiff(serverId: string): Promise<void>;
}

let started = false;

export const useTools = create<ToolsState>((set) => ({
  progress: {},
  diffs: {},

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
