import { create } from 'zustand';
import { api, type InstallLinkResult, type InstallLinkSource } from '../../api';
import { useServers } from '../servers';

// An install link opens the Add-server dialog, prefilled, and nothing else:
// adding follows the normal path, and a command still needs its launch approval.
// The core holds a link until it is taken, so one that arrived before this
// window was up is taken once at startup.

const FORMAT: Record<InstallLinkSource, string> = { switchboard: 'Switchboard format', vscode: 'VS Code format', cursor: 'Cursor format' };

export const linkNotice = (source: InstallLinkSource): string =>
  `From a link (${FORMAT[source]}): review everything before adding. Nothing runs until you approve the command.`;

interface InstallLinksState {
  /** Why the last link was refused, until dismissed. */
  refused?: string;
  init(): void;
  take(): Promise<void>;
  dismiss(): void;
}

let subscribed = false;

export const useInstallLinks = create<InstallLinksState>((set, get) => ({
  init() {
    if (subscribed) return;
    subscribed = true;
    api.onInstallLinkReceived(() => void get().take());
    void get().take();
  },

  async take() {
    let link: InstallLinkResult | undefined;
    try {
      ({ link } = await api.takeInstallLink({}));
    } catch (error) {
      set({ refused: `Could not read the install link: ${(error as Error).message}` });
      return;
    }
    if (!link) return;
    if (!link.ok) {
      set({ refused: link.reason });
      return;
    }
    set({ refused: undefined });
    useServers.getState().openAddServer({ server: link.server, notice: linkNotice(link.source), warnings: link.warnings });
  },

  dismiss() {
    set({ refused: undefined });
  },
}));
