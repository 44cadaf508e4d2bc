import { create } from 'zustand';
import { api, type GatewayServerAccess, type GatewayView } from '../../api';
import { busyRunner } from '../../lib/busy-runner';

// The Gateway view's state: what the core reports (gatewayChanged keeps it
// current) and the one token just created or rotated, shown once.

export interface ShownToken {
  clientId: string;
  clientName: string;
  token: string;
}

interface GatewayState {
  gateway?: GatewayView;
  error?: string;
  busy: boolean;
  /** The token just created or rotated: shown until the user dismisses it, never fetched again. */
  shown?: ShownToken;
  init(): void;
  load(): Promise<void>;
  setEnabled(enabled: boolean, port?: number | null): Promise<void>;
  create(name: string, servers: GatewayServerAccess[], combined?: boolean): Promise<boolean>;
  rename(id: string, name: string): Promise<void>;
  setAccess(id: string, servers: GatewayServerAccess[]): Promise<void>;
  /** One combined endpoint (/mcp) for all the client's servers, on or off. */
  setCombined(id: string, combined: boolean): Promise<void>;
  rotate(id: string): Promise<void>;
  revoke(id: string): Promise<void>;
  dismissToken(): void;
}

let started = false;

export const useGateway = create<GatewayState>((set, get) => {
  const run = busyRunner(set);
  return {
    busy: false,
    init() {
      if (started) return;
      started = true;
      api.onGatewayChanged((gateway) => set({ gateway }));
    },
    async load() {
      await run(async () => set({ gateway: await api.getGateway({}) }));
    },
    async setEnabled(enabled, port) {
      await run(async () => set({ gateway: await api.setGatewayEnabled({ enabled, port }) }));
    },
    async create(name, servers, combined) {
      return run(async () => {
        const { client, token } = await api.createGatewayClient({ name, servers, ...(combined ? { combined: true } : {}) });
        // The view first, so the token panel's config already has the client's servers.
        await get().load();
        set({ shown: { clientId: client.id, clientName: client.name, token } });
      });
    },
    async rename(id, name) {
      await run(async () => {
        await api.updateGatewayClient({ id, name });
        await get().load();
      });
    },
    async setAccess(id, servers) {
      await run(async () => {
        await api.updateGatewayClient({ id, servers });
        await get().load();
      });
    },
    async setCombined(id, combined) {
      await run(async () => {
        await api.updateGatewayClient({ id, combined });
        await get().load();
      });
    },
    async rotate(id) {
      await run(async () => {
        const { client, token } = await api.rotateGatewayToken({ id });
        // The view first, so the token panel's config already has the client's servers.
        await get().load();
        set({ shown: { clientId: client.id, clientName: client.name, token } });
      });
    },
    async revoke(id) {
      await run(async () => {
        await api.revokeGatewayClient({ id });
        if (get().shown?.clientId === id) set({ shown: undefined });
        await get().load();
      });
    },
    dismissToken() {
      set({ shown: undefined });
    },
  };
});
