import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayModel } from '../core/desktop';

// The tray (menu-bar) icon: a thin adapter over the core's tray model. The
// core decides counts, labels and actions; this builds the Electron menu and
// keeps it current as servers change.

export interface TrayHandlers {
  act(serverId: string, action: TrayAction): void;
  /** Brings the window forward, on a server when given. */
  open(serverId?: string): void;
  quit(): void;
}

export function trayMenuTemplate(model: TrayModel, handlers: TrayHandlers): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: model.header, enabled: false }, { type: 'separator' }];
  for (const server of model.servers) {
    items.push({
      label: server.label,
      submenu: [
        { label: server.actionLabel, click: () => handlers.act(server.serverId, server.action) },
        { label: 'Show in Switchboard', click: () => handlers.open(server.serverId) },
      ],
    });
  }
  if (model.hidden > 0) items.push({ label: `${model.hidden} more in Switchboard…`, click: () => handlers.open() });
  if (model.counts.total === 0) items.push({ label: 'Add a server in Switchboard…', click: () => handlers.open() });
  items.push({ type: 'separator' }, { label: 'Open Switchboard', click: () => handlers.open() }, { label: 'Quit Switchboard', click: () => handlers.quit() });
  return items;
}

export interface AppTray {
  /** Rebuilds from the current model (debounced: a burst of status changes gives one rebuild). */
  refresh(): void;
  destroy(): void;
}

export interface TrayDeps extends TrayHandlers {
  iconPath: string;
  platform: NodeJS.Platform;
  model(): Promise<TrayModel>;
  debounceMs?: number;
}

export function createTray(deps: TrayDeps): AppTray {
  const size = deps.platform === 'linux' ? 22 : 16;
  const tray = new Tray(nativeImage.createFromPath(deps.iconPath).resize({ width: size, height: size }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const build = async () => {
    const model = await deps.model();
    if (destroyed) return;
    tray.setToolTip(model.tooltip);
    if (deps.platform === 'darwin') tray.setTitle(model.title);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(model, deps)));
  };
  const refresh = () => {
    if (timer || destroyed) return;
    timer = setTimeout(() => {
      timer = undefined;
      build().catch(() => undefined);
    }, deps.debounceMs ?? 200);
  };
  // Windows and most Linux trays: a left click opens the window; the menu is on the right button.
  if (deps.platform !== 'darwin') tray.on('click', () => deps.open());
  void build().catch(() => undefined);
  return {
    refresh,
    destroy() {
      destroyed = true;
      if (timer) clearTimeout(timer);
      tray.destroy();
    },
  };
}
