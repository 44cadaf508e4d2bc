import { create } from 'zustand';

// Whether the registry dialog is open, so the button and the command palette open the same one.

interface RegistryDialogState {
  open: boolean;
  /** Open on the registry address setting (the palette's "Registry address…"). */
  settings?: boolean;
  show(options?: { settings?: boolean }): void;
  close(): void;
}

export const useRegistryDialog = create<RegistryDialogState>((set) => ({
  open: false,
  show(options) {
    set({ open: true, settings: options?.settings });
  },
  close() {
    set({ open: false });
  },
}));
