// switchboard:// install links (and VS Code's and Cursor's shapes): a prefill for the Add-server form, never more.
export { parseInstallLink, MAX_LINK_LENGTH } from './parse';
export { InstallLinkQueue } from './queue';
export { installLinksHandlers } from './handlers';
