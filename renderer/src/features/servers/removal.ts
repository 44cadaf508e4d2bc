import { create } from 'zustand';
import { api, errorMessage } from '../../api';
import { useServers } from './store';

// Removing a server can be undone for a few seconds. The core's remove deletes
// the server's vault secrets and launch approval for good, so the renderer holds
// the call back: the server leaves the list (and stops) at once, and the core
// removes it when the undo window closes, when another removal starts, or when
// the window goes away. Undo puts it back (and restarts it if it was running).

export const UNDO_REMOVE_MS = 8000;

export interface PendingRemoval {
  id: string;
  name: string;
  /** Where it was in the list. */
  index: number;
  wasRunning: boolean;
}

interface RemovalState {
  pending?: PendingRemoval;
  /** A removal that failed in the core (the server is back in the list). */
  error?: string;
  start(id: string): Promise<void>;
  undo(): void;
  /** Removes the pending server in the core now. */
  flush(): Promise<void>;
  dismissError(): void;
}

let timer: ReturnType<typeof setTimeout> | undefined;
let listening = false;

export const useRemoval = create<RemovalState>((set, get) => ({
  async start(id) {
    await get().flush();
    const servers = useServers.getState();
    const server = servers.servers[id];
    if (!server) return;
    const wasRunning = server.status.state === 'connected' || server.status.state === 'starting';
    const pending: PendingRemoval = { id, name: server.name, index: servers.order.indexOf(id), wasRunning };
    if (!listening && typeof window !== 'undefined') {
      listening = true;
      // Closing or reloading the window ends the undo window: do what the user asked.
      window.addEventListener('pagehide', () => void get().flush());
    }
    servers.hide(id);
    set({ pending, error: undefined });
    timer = setTimeout(() => void get().flush(), UNDO_REMOVE_MS);
    if (wasRunning) await api.disconnectServer({ serverId: id }).catch(() => undefined);
  },

  undo() {
    const pending = get().pending;
    if (!pending) return;
    clearTimeout(timer);
    set({ pending: undefined });
    const servers = useServers.getState();
    servers.unhide(pending.id, pending.index);
    servers.select(pending.id);
    if (pending.wasRunning) void servers.connect(pending.id);
  },

  async flush() {
    const pending = get().pending;
    if (!pending) return;
    clearTimeout(timer);
    set({ pending: undefined });
    try {
      await api.removeServer({ serverId: pending.id });
    } catch (error) {
      useServers.getState().unhide(pending.id, pending.index);
      set({ error: `Could not remove ${pending.name}: ${errorMessage(error)}` });
    }
  },

  dismissError() {
    set({ error: undefined });
  },
}));
