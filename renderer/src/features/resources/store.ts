import { create } from 'zustand';
import { api } from '../../api';

// Counters that tell the resources view to refresh: list_changed per server,
// and the last resources/updated time per server + uri.

interface ResourcesState {
  listVersion: Record<string, number>;
  updated: Record<string, number>;
  init(): void;
}

let started = false;

export const useResources = create<ResourcesState>((set) => ({
  listVersion: {},
  updated: {},

  init() {
    if (started) return;
    started = true;
    api.onListChanged(({ serverId, list }) => {
      if (list === 'resources') set((s) => ({ listVersion: { ...s.listVersion, [serverId]: (s.listVersion[serverId] ?? 0) + 1 } }));
    });
    api.onResourceUpdated(({ serverId, uri }) => set((s) => ({ updated: { ...s.updated, [`${serverId} ${uri}`]: Date.now() } })));
  },
}));
