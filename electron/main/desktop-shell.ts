import { Menu, type BrowserWindow } from 'electron';
import type { DesktopTarget } from '../../shared/contract';
import type { Core } from '../core/app-core';
import { appMenuTemplate } from './app-menu';
import { createTray, type AppTray } from './tray';
import type { WindowRegistry } from './window-registry';

// The app menu and the tray, wired to the core. Notification clicks and tray
// items bring the window forward and tell the renderer which view to show.

export const HOMEPAGE = 'https://github.com/switchboard-app/switchboard';
export const ISSUES = 'https://github.com/switchboard-app/switchboard/issues';

export interface DesktopShellDeps {
  core: Pick<Core, 'dispatch' | 'onEvent' | 'desktop'>;
  windows: Pick<WindowRegistry<BrowserWindow>, 'reveal'>;
  iconPath: string;
  platform: NodeJS.Platform;
  isPackaged: boolean;
  appName: string;
  /** Opens a link in the browser after the URL guard. */
  openLink(url: string): void;
  quit(): void;
  log(message: string, error?: unknown): void;
}

/** Brings the window forward and shows `target` there. */
export const navigateTo = (deps: Pick<DesktopShellDeps, 'core' | 'windows'>) => (target: DesktopTarget) => {
  deps.windows.reveal();
  deps.core.desktop.navigate(target);
};

export function attachDesktopShell(deps: DesktopShellDeps): { tray?: AppTray; dispose(): void } {
  const navigate = navigateTo(deps);
  const report = (what: string) => (error: unknown) => deps.log(`${what} failed`, error);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: deps.platform,
        appName: deps.appName,
        isPackaged: deps.isPackaged,
        homepage: HOMEPAGE,
        issues: ISSUES,
        actions: {
          openSettings: () => navigate({ view: 'settings' }),
          showDataFolder: () => void deps.core.desktop.showDataFolder().catch(report('Show data folder')),
          exportDiagnostics: () => void deps.core.desktop.exportDiagnostics().catch(report('Export diagnostics')),
          openLink: deps.openLink,
        },
      }),
    ),
  );

  let tray: AppTray | undefined;
  try {
    tray = createTray({
      iconPath: deps.iconPath,
      platform: deps.platform,
      model: () => deps.core.desktop.tray(deps.platform),
      // Through dispatch, like the window: a failure lands in the server's status, which the tray then shows.
      act: (serverId, action) => {
        if (action === 'open') navigate({ view: 'server', serverId });
        else void deps.core.dispatch(action === 'connect' ? 'connectServer' : 'disconnectServer', { serverId });
      },
      open: (serverId) => navigate(serverId ? { view: 'server', serverId } : { view: 'servers' }),
      quit: deps.quit,
    });
  } catch (error) {
    // Some Linux desktops have no tray at all; the app works without one.
    deps.log('The tray icon is not available', error);
  }
  const unsubscribe = deps.core.onEvent((name) => {
    if (name === 'serverChanged' || name === 'serverRemoved') tray?.refresh();
  });
  return {
    tray,
    dispose() {
      unsubscribe();
      tray?.destroy();
    },
  };
}
