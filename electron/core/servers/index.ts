// What other features need from servers.
export { CLIENT_INFO, ServerManager } from './server-manager';
export { listAllTools, ToolCatalogue, toToolView } from './tool-catalogue';
