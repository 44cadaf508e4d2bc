import { create } from 'zustand';

// Which import/export dialog is open, so the buttons and the command palette open the same one.

type Open = { kind: 'import' } | { kind: 'export'; preselected?: string[] };

interface ClientConfigDialogsState {
  open?: Open;
  openImport(): void;
  openExport(preselected?: string[]): void;
  close(): void;
}

export const useClientConfigDialogs = create<ClientConfigDialogsState>((set) => ({
  openImport() {
    set({ open: { kind: 'import' } });
  },
  openExport(preselected) {
    set({ open: { kind: 'export', preselected } });
  },
  close() {
    set({ open: undefined });
  },
}));
