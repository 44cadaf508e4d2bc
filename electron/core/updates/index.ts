// Auto-update: the policy (consent, channel, off switch, states, errors) behind the UpdateEngine port.
export type { UpdateEngine, EngineCheck, EngineProgress } from './engine';
export { UpdateService, type AutoCheck, type UpdateServiceDeps } from './update-service';
export { describeUpdateError, isCancelled } from './errors';
export { compareVersions, releaseNotesText } from './versions';
export { updatesHandlers } from './handlers';
