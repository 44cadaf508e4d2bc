// The MCP Registry: browse (client.ts), map a server.json to what runs
// (launch-spec.ts; mcpb bundles: mcpb.ts, zip-reader.ts, mcpb-manifest.ts),
// install through the servers feature.
export { RegistryService, DEFAULT_REGISTRY_URL, type RegistryDeps } from './registry-service';
export { RegistryClient } from './client';
export { mapPackage, mapRemote, type Answers, type Mapped } from './launch-spec';
export { downloadVerified } from './mcpb';
export { registryHandlers, type RegistryHandlersDeps } from './handlers';
