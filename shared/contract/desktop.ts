import { z } from 'zod';
import { event, method } from './define';
import { ServerId } from './servers';

// Desktop conventions: OS notifications and their switches, launch at login,
// the data folder and the diagnostics bundle. The tray, the app menu and the
// window's remembered bounds live in the main process and need no IPC.

/** The OS notifications Switchboard sends; each can be switched off. */
export const NotificationKind = z.enum(['serverCrashed', 'signInNeeded', 'toolsChanged', 'clientConfigChanged']);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const NotificationSwitches = z.object({
  serverCrashed: z.boolean(),
  signInNeeded: z.boolean(),
  toolsChanged: z.boolean(),
  clientConfigChanged: z.boolean(),
});
export type NotificationSwitches = z.infer<typeof NotificationSwitches>;

/** Whether the OS offers something; `reason` says why not, in words the user can act on. */
const Availability = z.object({ supported: z.boolean(), reason: z.string().optional() });

export const DesktopSettingsView = z.object({
  notifications: NotificationSwitches,
  notificationsAvailable: Availability,
  /** What the OS reports (the user may have removed the login item in the system settings). */
  launchAtLogin: z.boolean(),
  launchAtLoginAvailable: Availability,
  /** "Show data folder" and "Export diagnostics" need the desktop shell (absent in the browser test bridge). */
  dataFolderAvailable: z.boolean(),
  diagnosticsAvailable: z.boolean(),
});
export type DesktopSettingsView = z.infer<typeof DesktopSettingsView>;

/** Where a notification click (or another desktop action) takes the window. */
export const DesktopTarget = z.discriminatedUnion('view', [
  z.object({ view: z.literal('server'), serverId: ServerId }),
  z.object({ view: z.literal('servers') }),
  z.object({ view: z.literal('settings') }),
]);
export type DesktopTarget = z.infer<typeof DesktopTarget>;

export const desktopMethods = {
  getDesktopSettings: method(z.object({}), DesktopSettingsView),
  setDesktopSettings: method(
    z.object({ notifications: NotificationSwitches.partial().optional(), launchAtLogin: z.boolean().optional() }),
    DesktopSettingsView,
  ),
  /** A navigation a window that opened just now missed (a notification click that had to open the window first); taken once. */
  takeDesktopNavigation: method(z.object({}), z.object({ target: DesktopTarget.optional() })),
  /** Opens Switchboard's own data folder in the file manager (never any other path). */
  showDataFolder: method(z.object({}), z.object({ opened: z.boolean(), error: z.string().optional() })),
  /** Asks where to save, then writes a zip of logs, settings and an environment summary with secrets redacted. */
  exportDiagnostics: method(
    z.object({}),
    z.object({ saved: z.boolean(), path: z.string().optional(), files: z.array(z.string()).default([]), bytes: z.number().int().optional() }),
  ),
};

export const desktopEvents = {
  /** The user clicked a notification (or a tray item): show this view. */
  desktopNavigate: event(z.object({ target: DesktopTarget })),
};
