// Tools: list, forms from JSON Schema, calls and results, drift.
export { ToolsPanel, ToolDetail } from './ToolsPanel';
export { useTools } from './store';
export { toolCommands } from './commands';
