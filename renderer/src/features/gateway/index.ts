// The local gateway: other MCP clients on this computer use the servers managed here.
export { GatewayView } from './GatewayView';
export { useGateway } from './store';
export { gatewayCommands } from './commands';
