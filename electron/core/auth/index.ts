// Public API of the MCP OAuth client (electron/core/auth). Plain Node.
export type {
  AuthServerRef,
  ConsentPlan,
  GrantView,
  IssuerRelation,
  RegistrationKind,
  ScopeSource,
  HttpExchange,
  HttpExchangePhase,
  AuthManagerDeps,
  PrepareSignInOptions,
  CompleteSignInOptions,
  GrantKind,
  RevokeResult,
} from './types';
export { AuthRequiredError, StepUpRequiredError } from './errors';
export { AuthManager } from './auth-manager';
export { SignInService, type SignInServiceDeps } from './sign-in-service';
export { authHandlers } from './handlers';
export { parseWwwAuthenticate, type BearerChallenge } from './challenge';
export {
  discover,
  selectScopes,
  type AuthorizationServerInfo,
  type DiscoveryResult,
  type DiscoverOptions,
  type FetchFn,
  type ScopeSelection,
} from './discovery';
export { startLoopbackListener, type LoopbackListener, type LoopbackOptions, type LoopbackResult } from './loopback';
export { createHeadlessBrowser, type HeadlessBrowser, type HeadlessBrowserOptions } from './headless-browser';
export { authFailed } from './errors';
