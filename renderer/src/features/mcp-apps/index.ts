// MCP Apps: a tool's ui:// resource shown after a call, sandboxed on its server's own origin.
export { McpAppPanel } from './McpAppPanel';
export { AppChips, AppOnlyNote } from './AppChips';
