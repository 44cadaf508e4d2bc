import { create } from 'zustand';

// Which main view shows. In a store (not App state) so the command palette and
// shortcuts can switch views the same way the sidebar buttons do.

export type MainView = 'servers' | 'history' | 'gateway' | 'settings';

interface NavigationState {
  view: MainView;
  showView(view: MainView): void;
}

export const useNavigation = create<NavigationState>((set) => ({
  view: 'servers',
  showView(view) {
    set({ view });
  },
}));
