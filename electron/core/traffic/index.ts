export { TrafficService, type TrafficDeps } from './traffic-service';
export { trafficHandlers } from './handlers';
export { KnownSecrets, scrubDeep, type Scrub } from './known-secrets';
export { redactSecrets, redactString, isSecretKey, looksLikeOpaqueToken } from './redact';
export { redactUrl } from './http-redact';
export type { HttpExchange } from './traffic-recorder';
