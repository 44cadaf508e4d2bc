// Reading the desktop's MCP clients' config files, and writing servers back into them.
export * as claudeDesktop from './claude-desktop';
export * as claudeCode from './claude-code';
export * as cursor from './cursor';
export * as vscode from './vscode';
export * as windsurf from './windsurf';
export * as mcpServersFile from './mcp-servers-file';
export { parseFormat, scanConfigs, type FoundConfig } from './scan';
export { configPaths, homeOf, type ConfigFormat, type ConfigLocation, type Env } from './paths';
export { expand, readEnvFile, type Expansion, type VariableContext } from './variables';
export { looksSecret } from './secrets';
export { convert, inputsToAsk, normalizeUrl, type Conversion, type ConvertContext, type ExistingServer } from './candidates';
export { readBoundedFile, type ReadOutcome } from './read-file';
export { backupFile, writeConfigFile, type WriteOptions } from './write-file';
export { changedHunks, lineDiff } from './diff';
export * from './types';
export { clientConfigsHandlers, type ClientConfigsHandlersDeps } from './handlers';
export { ClientConfigWatcher, type WatchOptions } from './watch';
export { BRIDGE_TOKEN_ENV, type GatewayExportClient, type GatewayExportSource } from './gateway-entries';
