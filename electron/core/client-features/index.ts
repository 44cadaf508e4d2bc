export { clientFactory, CLIENT_CAPABILITIES, type ClientFactoryDeps, type RouteDecision } from './client-factory';
export { ClientRequests } from './client-requests';
export { Roots } from './roots';
export { ServerMessages } from './server-messages';
export { clientFeaturesHandlers } from './handlers';
export { describeUrlElicitation, MAX_ELICITATIONS_PER_ERROR, urlElicitationsOf, withUrlElicitationRequired } from './url-elicitation';
