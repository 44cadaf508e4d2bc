// The app feature: what the shell asks the core about itself (version, secret storage, notices) and the folder picker.
export { appHandlers, type AppHandlersDeps } from './handlers';
