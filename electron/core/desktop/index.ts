// Desktop conventions: the tray model, OS notifications (when, and what they say),
// launch at login, the remembered window bounds, the data folder and the
// diagnostics bundle. The main process adapts these to Electron.
export { DesktopService, type DesktopServiceDeps } from './desktop-service';
export { desktopHandlers, type DesktopHandlersDeps } from './handlers';
export { NotificationPolicy, DEFAULT_NOTIFICATION_SWITCHES, type NotificationPolicyDeps } from './notifications';
export { trayModel, menuText, MAX_TRAY_SERVERS, type TrayModel, type TrayServerItem, type TrayAction } from './tray-model';
export { restorableBounds, boundsToSave, type Rect, type SavedBounds, type WindowLimits } from './window-bounds';
export { collectDiagnostics, zipDiagnostics, environmentSummary, InternalErrorLog, type InternalError } from './diagnostics';
export { diagnosticsRedactor } from './redact-text';
