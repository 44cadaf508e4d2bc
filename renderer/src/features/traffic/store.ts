import { create } from 'zustand';
import { api } from '../../api';

// The latest traffic seq per server; the traffic view fetches afterSeq.

interface TrafficState {
  lastSeq: Record<string, number>;
  init(): void;
}

let started = false;

export const useTraffic = create<TrafficState>((set) => ({
  lastSeq: {},

  init() {
    if (started) return;
    started = true;
    api.onTrafficAppended(({ servers }) => set((s) => ({ lastSeq: { ...s.lastSeq, ...Object.fromEntries(servers.map((x) => [x.serverId, x.lastSeq])) } })));
  },
}));
