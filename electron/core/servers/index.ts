// The servers feature: stored configs and their secrets (server-config.ts),
// what runs (server-runtime.ts: stdio supervisors, remote connections, status,
// logs), the facade joining both (server-manager.ts), the tool catalogue every
// tool call reads (tool-catalogue.ts) and the IPC handlers.
export { ServerManager, type ServerManagerDeps } from './server-manager';
export { ServerConfig, type ConfigView, type ServerConfigDeps } from './server-config';
export { ServerRuntime, CLIENT_INFO, serverInfo, type ConnectionContext, type RemoteConnector, type ServerRuntimeDeps } from './server-runtime';
export { listAllTools, ToolCatalogue, toToolView } from './tool-catalogue';
export { ServerRepo, StoredServer, StoredStdioServer, StoredHttpServer, type InvalidEntry } from './server-repo';
export { ProcessGuard, type ProcessWatch } from './process-guard';
export { resolveShellEnv, type ShellEnvResult } from './shell-env';
export { serversHandlers, type ServersHandlersDeps } from './handlers';
export { EraClient, explainEraFailure, isEraMismatch, MODERN_REVISION, negotiatedInfo, versionNegotiation } from './protocol-era';
