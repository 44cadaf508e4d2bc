// History of every tool call, across servers.
export { HistoryView } from './HistoryView';
export { useHistory } from './store';
export { historyCommands } from './commands';
