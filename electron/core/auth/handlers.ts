import type { authMethods } from '../../../shared/contract/auth';
import type { FeatureHandlers } from '../ipc/dispatch';
import type { SignInService } from './sign-in-service';

// IPC face of auth: sign-in, consent, grants, revocation.

export function authHandlers(deps: { signIn: SignInService }): FeatureHandlers<typeof authMethods> {
  const { signIn } = deps;
  return {
    prepareSignIn: async ({ serverId, stepUp }) => ({ plan: await signIn.prepareSignIn(serverId, stepUp) }),
    completeSignIn: async ({ planId }) => ({ grant: await signIn.completeSignIn(planId) }),
    cancelSignIn: async ({ planId }) => {
      signIn.cancelSignIn(planId);
      return {};
    },
    getGrant: async ({ serverId }) => ({ grant: await signIn.getGrant(serverId) }),
    revokeGrant: async ({ serverId }) => signIn.revoke(serverId),
    signOut: async ({ serverId }) => {
      await signIn.signOut(serverId);
      return {};
    },
  };
}
