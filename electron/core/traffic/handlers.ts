import type { trafficMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { TrafficService } from './traffic-service';

export function trafficHandlers({ traffic }: { traffic: TrafficService }): FeatureHandlers<typeof trafficMethods> {
  return {
    listTraffic: ({ serverId, afterSeq, method, direction, limit }) => ({ entries: traffic.list(serverId, { afterSeq, method, direction, limit }) }),
  };
}
