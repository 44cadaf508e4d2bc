import { create } from 'zustand';
import { api, type ConsentPlanView, type GrantView } from '../../api';

// Grants per server and the one sign-in in progress. The consent plan is shown
// before any browser opens; "waiting" covers the time the user spends in the
// browser, which may be minutes.

interface SignIn {
  serverId: string;
  plan?: ConsentPlanView;
  phase: 'discovering' | 'consent' | 'waiting' | 'error';
  error?: string;
}

interface AuthState {
  grants: Record<string, GrantView | undefined>;
  grantErrors: Record<string, string | undefined>;
  notices: Record<string, string | undefined>;
  signIn?: SignIn;
  /** The server whose "Revoke this grant?" confirmation is showing (the button or the palette asked). */
  confirmingRevoke?: string;
  init(): void;
  confirmRevoke(serverId: string | undefined): void;
  loadGrant(serverId: string): Promise<void>;
  startSignIn(serverId: string, stepUp?: boolean): Promise<void>;
  continueSignIn(): Promise<void>;
  cancelSignIn(): Promise<void>;
  revoke(serverId: string): Promise<void>;
  signOut(serverId: string): Promise<void>;
}

let subscribed = false;

export const useAuth = create<AuthState>((set, get) => ({
  grants: {},
  grantErrors: {},
  notices: {},

  confirmRevoke(serverId) {
    set({ confirmingRevoke: serverId });
  },

  init() {
    if (subscribed) return;
    subscribed = true;
    api.onGrantChanged(({ serverId, grant }) => set((s) => ({ grants: { ...s.grants, [serverId]: grant } })));
  },

  async loadGrant(serverId) {
    try {
      const { grant } = await api.getGrant({ serverId });
      set((s) => ({ grants: { ...s.grants, [serverId]: grant }, grantErrors: { ...s.grantErrors, [serverId]: undefined } }));
    } catch (error) {
      set((s) => ({ grantErrors: { ...s.grantErrors, [serverId]: (error as Error).message } }));
    }
  },

  async startSignIn(serverId, stepUp = false) {
    set({ signIn: { serverId, phase: 'discovering' } });
    try {
      const { plan } = await api.prepareSignIn({ serverId, stepUp });
      if (get().signIn?.serverId === serverId) set({ signIn: { serverId, plan, phase: 'consent' } });
    } catch (error) {
      set({ signIn: { serverId, phase: 'error', error: (error as Error).message } });
    }
  },

  async continueSignIn() {
    const current = get().signIn;
    if (!current?.plan) return;
    set({ signIn: { ...current, phase: 'waiting' } });
    try {
      const { grant } = await api.completeSignIn({ planId: current.plan.planId });
      set((s) => ({ signIn: undefined, grants: { ...s.grants, [current.serverId]: grant }, notices: { ...s.notices, [current.serverId]: undefined } }));
    } catch (error) {
      if (get().signIn?.plan?.planId === current.plan.planId) set({ signIn: { ...current, phase: 'error', error: (error as Error).message } });
    }
  },

  async cancelSignIn() {
    const current = get().signIn;
    set({ signIn: undefined });
    if (current?.plan) await api.cancelSignIn({ planId: current.plan.planId }).catch(() => undefined);
  },

  async revoke(serverId) {
    try {
      const { message } = await api.revokeGrant({ serverId });
      set((s) => ({ notices: { ...s.notices, [serverId]: message } }));
      await get().loadGrant(serverId);
    } catch (error) {
      set((s) => ({ grantErrors: { ...s.grantErrors, [serverId]: (error as Error).message } }));
    }
  },

  async signOut(serverId) {
    try {
      await api.signOut({ serverId });
      set((s) => ({
        notices: {
          ...s.notices,
          [serverId]: 'Signed out on this computer. The grant still exists at the authorization server until it expires; use Revoke to end it there.',
        },
      }));
      await get().loadGrant(serverId);
    } catch (error) {
      set((s) => ({ grantErrors: { ...s.grantErrors, [serverId]: (error as Error).message } }));
    }
  },
}));
