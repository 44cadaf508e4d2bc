import type { gatewayMethods } from '../../../shared/contract';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { GatewayService } from './gateway-service';

export function gatewayHandlers({ gateway }: { gateway: GatewayService }): FeatureHandlers<typeof gatewayMethods> {
  return {
    getGateway: () => gateway.view(),
    setGatewayEnabled: ({ enabled, port }) => gateway.setEnabled(enabled, port),
    createGatewayClient: ({ name, servers, combined }) => gateway.create(name, servers, combined),
    updateGatewayClient: ({ id, name, servers, combined }) => gateway.update(id, { name, servers, combined }),
    rotateGatewayToken: ({ id }) => gateway.rotate(id),
    revokeGatewayClient: ({ id }) => {
      gateway.revoke(id);
      return { ok: true as const };
    },
  };
}
