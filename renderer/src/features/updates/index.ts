// Settings → Updates: check, download with progress, install on quit or now; channel and off switch.
export { UpdatesSection } from './UpdatesSection';
export { useUpdates } from './store';
