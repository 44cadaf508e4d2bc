import type { Handlers } from '../ipc/dispatch';
import type { inspectMethods } from '../../../shared/contract';
import { InspectService, type InspectDeps } from './inspect-service';

export { InspectService, HISTORY_DIR } from './inspect-service';

export type InspectHandlers = Pick<Handlers, keyof typeof inspectMethods>;

/** The inspector's services plus the IPC handlers app-core spreads into its map. */
export function createInspect(deps: InspectDeps): { service: InspectService; handlers: InspectHandlers } {
  const service = new InspectService(deps);
  const ok = { ok: true as const };
  const handlers: InspectHandlers = {
    validateToolArguments: ({ serverId, tool, arguments: args }) => service.validateArguments(serverId, tool, args),
    callTool: (req) => service.callTool(req),
    cancelToolCall: ({ callId }) => ({ cancelled: service.cancel(callId) }),
    getToolDiff: ({ serverId }) => ({ diff: service.getDiff(serverId) }),
    acknowledgeToolChanges: ({ serverId }) => {
      service.acknowledge(serverId);
      return ok;
    },
    listResources: ({ serverId, cursor }) => service.listResources(serverId, cursor),
    listResourceTemplates: ({ serverId, cursor }) => service.listTemplates(serverId, cursor),
    readResource: ({ serverId, ...req }) => service.readResource(serverId, req),
    subscribeResource: async ({ serverId, uri }) => {
      await service.subscribe(serverId, uri, true);
      return ok;
    },
    unsubscribeResource: async ({ serverId, uri }) => {
      await service.subscribe(serverId, uri, false);
      return ok;
    },
    listSubscriptions: ({ serverId }) => ({ uris: service.subscribed(serverId) }),
    listPrompts: ({ serverId, cursor }) => service.listPrompts(serverId, cursor),
    getPrompt: ({ serverId, name, arguments: args }) => service.getPrompt(serverId, name, args),
    setLogLevel: async ({ serverId, level }) => {
      await service.setLogLevel(serverId, level);
      return ok;
    },
    getServerMessages: ({ serverId }) => service.getMessages(serverId),
    getRoots: ({ serverId }) => ({ serverId, paths: service.roots(serverId) }),
    setRoots: async ({ serverId, paths }) => ({ serverId, paths: await service.setRoots(serverId, paths) }),
    listClientRequests: () => ({ requests: service.listRequests() }),
    answerElicitation: ({ requestId, action, content }) => {
      service.answerElicitation(requestId, action, content);
      return ok;
    },
    answerSampling: ({ requestId, action, text }) => {
      service.answerSampling(requestId, action, text);
      return ok;
    },
    queryHistory: (q) => service.queryHistory(q),
    getHistoryRecord: async ({ id }) => ({ record: await service.historyRecord(id) }),
    historyFacets: () => service.facets(),
    exportHistory: () => service.exportHistory(),
    listTraffic: ({ serverId, afterSeq, method, direction, limit }) => {
      service.drainTraffic();
      return { entries: service.traffic.list(serverId, { afterSeq, method, direction, limit }) };
    },
  };
  return { service, handlers };
}
