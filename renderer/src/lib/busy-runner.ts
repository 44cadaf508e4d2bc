import { errorMessage } from '../api';

// A store's requests, one way: busy while one runs, its error kept for the view, and whether it worked.

/** What a store with requests keeps. */
export interface BusyState {
  busy: boolean;
  error?: string;
}

/** Runs `work` with busy set and the previous error cleared; a refusal becomes `error`. Resolves to whether it worked. */
export function busyRunner(set: (partial: Partial<BusyState>) => void): (work: () => Promise<unknown>) => Promise<boolean> {
  return async (work) => {
    set({ busy: true, error: undefined });
    try {
      await work();
      return true;
    } catch (e) {
      set({ error: errorMessage(e) });
      return false;
    } finally {
      set({ busy: false });
    }
  };
}
