import { create } from 'zustand';
import { api } from '../../api';

// Bumped on prompts/list_changed per server, so the prompts view refetches.

interface PromptsState {
  listVersion: Record<string, number>;
  init(): void;
}

let started = false;

export const usePrompts = create<PromptsState>((set) => ({
  listVersion: {},

  init() {
    if (started) return;
    started = true;
    api.onListChanged(({ serverId, list }) => {
      if (list === 'prompts') set((s) => ({ listVersion: { ...s.listVersion, [serverId]: (s.listVersion[serverId] ?? 0) + 1 } }));
    });
  },
}));
