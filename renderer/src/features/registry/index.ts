// Browse the MCP Registry and install a server from it.
export { RegistryButton } from './RegistryButton';
export { registryCommands } from './commands';
