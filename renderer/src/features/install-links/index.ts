// switchboard:// install links: they open the Add-server dialog prefilled, never more.
export { InstallLinkRefusal } from './InstallLinkRefusal';
export { linkNotice, useInstallLinks } from './store';
