import { IpcError } from '../../../shared/contract/errors';

/**
 * The MCP server wants (new) credentials: no grant, refresh failed, or the
 * server still answers 401 after a refresh. `challenge` is the raw
 * WWW-Authenticate value (may be undefined); pass it to prepareSignIn.
 */
export class AuthRequiredError extends IpcError {
  readonly serverId: string;
  readonly challenge: string | undefined;
  constructor(serverId: string, message: string, challenge?: string) {
    super('AUTH_REQUIRED', message, { serverId });
    this.name = 'AuthRequiredError';
    this.serverId = serverId;
    this.challenge = challenge;
  }
}

/** 403 with error="insufficient_scope" (code STEP_UP_REQUIRED): call prepareSignIn(server, { challenge, stepUp: true }). */
export class StepUpRequiredError extends IpcError {
  readonly serverId: string;
  readonly challenge: string;
  readonly requiredScopes: string[];
  constructor(serverId: string, message: string, challenge: string, requiredScopes: string[]) {
    super('STEP_UP_REQUIRED', message, { serverId, requiredScopes });
    this.name = 'StepUpRequiredError';
    this.serverId = serverId;
    this.challenge = challenge;
    this.requiredScopes = requiredScopes;
  }
}

export function authFailed(message: string, details?: unknown): IpcError {
  return new IpcError('AUTH_FAILED', message, details);
}
