// Roots, logging, server messages, and the elicitation and sampling requests a server makes of the user.
export { RootsPanel, ServerNotifications } from './ClientPanel';
export { ClientRequests } from './ClientRequestDialog';
export { useClientFeatures } from './store';
