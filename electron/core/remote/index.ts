// Remote MCP servers: Streamable HTTP with legacy HTTP+SSE fallback, session
// recovery, actionable connection errors, and the RemoteConnector the
// ServerManager uses for HTTP servers. Plain Node.
export { RemoteConnections, type RemoteConnectionsDeps } from './remote-connector';
export {
  connectRemote,
  DEFAULT_RECONNECTION_OPTIONS,
  FALLBACK_STATUSES,
  type RemoteMode,
  type RemoteConnectOptions,
  type RemoteSession,
} from './remote-connection';
export { validateRemoteUrl, validateRemoteHeaders } from './remote-options';
export { MAX_BODY_BYTES } from './bounded-fetch';
export type { ReconnectedInfo } from './session-transport';
export {
  classifyConnectionError,
  displayUrl,
  quoteServerText,
  httpStatusOf,
  type ClassifyContext,
  type ConnectAttempt,
  type ObservedResponse,
  type RemoteTransportKind,
} from './connection-errors';
