import type { toolsMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { ToolCalls } from './tool-calls';
import type { ToolDrift } from './tool-drift';

export function toolsHandlers({ calls, drift }: { calls: ToolCalls; drift: ToolDrift }): FeatureHandlers<typeof toolsMethods> {
  return {
    callTool: (req) => calls.callTool(req),
    cancelToolCall: ({ callId }) => ({ cancelled: calls.cancel(callId) }),
    getToolDiff: ({ serverId }) => ({ diff: drift.getDiff(serverId) }),
    acknowledgeToolChanges: ({ serverId }) => {
      drift.acknowledge(serverId);
      return { ok: true as const };
    },
  };
}
