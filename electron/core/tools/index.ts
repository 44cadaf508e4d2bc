export { ToolCalls, type CallRecord, type ToolTaskHooks, type CallsInFlight, type ToolCallDeps } from './tool-calls';
export { ToolDrift, type ToolDriftDeps } from './tool-drift';
export { toolsHandlers } from './handlers';
// Schema checks are shared: the SDK client's validator and elicitation answers use them too.
export { boundedSdkValidator, describeFieldErrors, SchemaValidators } from './schema-validate';
