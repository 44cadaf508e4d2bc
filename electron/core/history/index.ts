export { HISTORY_DIR, HistoryService, type HistoryDeps } from './history-service';
export { HistoryStore } from './history-store';
export { historyHandlers } from './handlers';
