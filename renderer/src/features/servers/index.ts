// The servers feature's public surface for the app shell and other features.
export { ApprovalDialog } from './ApprovalDialog';
export { serverCommands } from './commands';
export { ServerDetail } from './ServerDetail';
export { ServerDialog } from './ServerDialog';
export { focusServerItem, ServerList } from './ServerList';
export { useServers, type AddServerPrefill, type ApprovalRequest } from './store';
export { UndoRemoveToast } from './UndoRemoveToast';
export { useRemoval, UNDO_REMOVE_MS } from './removal';
