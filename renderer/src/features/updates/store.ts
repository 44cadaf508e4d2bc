import { create } from 'zustand';
import { api, type UpdateChannel, type UpdateStatus } from '../../api';
import { busyRunner } from '../../lib/busy-runner';

// The updater's state as the core reports it (updateStatusChanged keeps it
// current, progress included). Every action is a request the user made.

interface UpdatesState {
  status?: UpdateStatus;
  /** A request the core refused (the update's own failures are in status.update). */
  error?: string;
  busy: boolean;
  init(): void;
  load(): Promise<void>;
  setEnabled(enabled: boolean): Promise<void>;
  setChannel(channel: UpdateChannel): Promise<void>;
  check(): Promise<void>;
  download(): Promise<void>;
  cancel(): Promise<void>;
  installNow(): Promise<void>;
  installOnQuit(enabled: boolean): Promise<void>;
}

let started = false;

export const useUpdates = create<UpdatesState>((set) => {
  const busy = busyRunner(set);
  const run = async (work: () => Promise<UpdateStatus>): Promise<void> => {
    await busy(async () => set({ status: await work() }));
  };
  return {
    busy: false,
    init() {
      if (started) return;
      started = true;
      api.onUpdateStatusChanged((status) => set({ status }));
    },
    load: () => run(() => api.getUpdateStatus({})),
    setEnabled: (enabled) => run(() => api.setUpdateSettings({ enabled })),
    setChannel: (channel) => run(() => api.setUpdateSettings({ channel })),
    check: () => run(() => api.checkForUpdates({})),
    download: () => run(() => api.downloadUpdate({})),
    cancel: () => run(() => api.cancelUpdateDownload({})),
    installNow: () => run(() => api.installUpdate({ when: 'now' })),
    installOnQuit: (enabled) => run(() => api.installUpdate({ when: 'on-quit', enabled })),
  };
});
