import type { KubeConfig, User } from '@kubernetes/client-node';
import type https from 'node:https';

export const SESSION_AUTH_PROVIDER = 'afp-session';

/** client-node accepts custom authenticators but does not export their type. */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** Hands out a valid access token of the signed-in session, refreshing it when needed. */
export interface SessionTokenSource {
  accessToken(): Promise<string>;
}

export function sessionAuthenticator(session: SessionTokenSource): Authenticator {
  return {
    isAuthProvider: (user: User) => (user.authProvider as { name?: unknown } | undefined)?.name === SESSION_AUTH_PROVIDER,
    applyAuthentication: async (_user: User, opts: https.RequestOptions) => {
      const token = await session.accessToken();
      opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    },
  };
}
