// Remote MCP servers: Streamable HTTP with legacy HTTP+SSE fallback, session
// recovery, actionable connection errors, and the RemoteConnector the
// ServerManager uses for HTTP servers. Plain Node.
export { RemoteConnections, type RemoteConnectionsDeps } from './remote-connector';
export {
  connectRemote,
  validateRemoteUrl,
  validateRemoteHeaders,
  DEFAULT_RECONNECTION_OPTIONS,
  FALLBACK_STATUSES,
  MAX_BODY_BYTES,
  type RemoteMode,
  type RemoteConnectOptions,
  type RemoteSession,
  type ReconnectedInfo,
} from './remote-connection';
export { classifyConnectionError, displayUrl, quoteServerText, httpStatusOf, type ClassifyContext, type ConnectAttempt, type ObservedResponse, type RemoteTransportKind } from './connection-errors';
