// Desktop conventions in the window: the Settings section (notifications, launch at login,
// data folder, diagnostics) and following notification clicks to the right view.
export { DesktopSettings } from './DesktopSettings';
export { useDesktopNavigation } from './navigation';
