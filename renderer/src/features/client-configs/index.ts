// Import from and export to the other MCP clients on this desktop.
export { ClientConfigsButtons } from './ClientConfigsButtons';
export { ExportButton } from './ExportButton';
export { ClientConfigChanges } from './ClientConfigChanges';
export { ExportDialog, type GatewayExport } from './ExportDialog';
export { clientConfigCommands } from './commands';
export { PastedImportDialog } from './ImportDialog';
