export { AppService, APP_MIME_TYPE, MAX_APP_HTML_BYTES, visibleToApp, type AppServiceDeps } from './app-service';
export { AppDocuments, type ServedDocument } from './app-documents';
export { buildAppCsp, buildAllow, checkSource } from './csp';
export { mcpAppsHandlers } from './handlers';
