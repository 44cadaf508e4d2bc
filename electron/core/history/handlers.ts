import type { historyMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { HistoryService } from './history-service';

export function historyHandlers({ history }: { history: HistoryService }): FeatureHandlers<typeof historyMethods> {
  return {
    queryHistory: (q) => history.query(q),
    getHistoryRecord: async ({ id }) => ({ record: await history.get(id) }),
    historyFacets: () => history.facets(),
    exportHistory: () => history.exportAll(),
  };
}
