import { create } from 'zustand';

// Which keyboard overlay is open: the command palette or the shortcut sheet (one at a time).

interface PaletteState {
  open?: 'palette' | 'help';
  show(which: 'palette' | 'help'): void;
  close(): void;
}

export const usePalette = create<PaletteState>((set) => ({
  show(which) {
    set({ open: which });
  },
  close() {
    set({ open: undefined });
  },
}));
