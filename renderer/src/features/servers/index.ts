// The servers feature's public surface for the app shell and other features.
export { ApprovalDialog } from './ApprovalDialog';
export { ServerDetail } from './ServerDetail';
export { ServerDialog } from './ServerDialog';
export { ServerList } from './ServerList';
export { useServers, type AddServerPrefill, type ApprovalRequest } from './store';
