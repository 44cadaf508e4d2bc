// The local gateway: other MCP clients on this desktop use the servers
// Switchboard manages through 127.0.0.1, with per-client tokens and filters.
export { GatewayService, type GatewayServiceDeps } from './gateway-service';
export { gatewayHandlers } from './handlers';
export { toolVisible } from './gateway-proxy';
export { DEFAULT_LIMITS, type GatewayLimits } from './gateway-http';
export { BRIDGE_FLAG, URL_FLAG, TOKEN_ENV, runBridge } from './bridge';
