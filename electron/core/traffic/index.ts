export { TrafficService, type TrafficDeps } from './traffic-service';
export { trafficHandlers } from './handlers';
export { KnownSecrets } from './known-secrets';
export type { HttpExchange } from './traffic-recorder';
