/**
 * The user a token answer describes: from the ID token, with userinfo asked
 * only when the ID token lacks the groups claim (some providers keep groups
 * there). After a refresh, only claims the new ID token carries replace what
 * was known.
 */
import * as oidc from 'openid-client';
import type { AuthUser } from '../contract/auth';
import type { Logger } from '../log';
import { authFailure } from './auth-errors';
import { hasClaim, identityFrom, type Claims } from './identity';
import type { Provider } from './provider';
import { DEFAULT_GROUPS_CLAIM } from './settings';

export async function userFromSignIn(provider: Provider, claims: Claims | undefined, accessToken: string, log: Logger): Promise<AuthUser> {
  const groupsClaim = provider.settings.groupsClaim ?? DEFAULT_GROUPS_CLAIM;
  let userinfo: Claims | undefined;
  if (
    !hasClaim(claims, groupsClaim) &&
    typeof provider.config.serverMetadata().userinfo_endpoint === 'string' &&
    typeof claims?.sub === 'string'
  ) {
    try {
      userinfo = await oidc.fetchUserInfo(provider.config, accessToken, claims.sub);
    } catch (error) {
      log.warn('userinfo could not be read; groups may be missing', authFailure(error, provider.context('userinfo')));
    }
  }
  return identityFrom(claims, userinfo, groupsClaim);
}

export function userAfterRefresh(user: AuthUser, claims: Claims | undefined, groupsClaim = DEFAULT_GROUPS_CLAIM): AuthUser {
  if (claims === undefined) return user;
  const fresh = identityFrom(claims, undefined, groupsClaim);
  const next = { ...user };
  if (hasClaim(claims, groupsClaim)) next.groups = fresh.groups;
  if (hasClaim(claims, 'name')) next.name = fresh.name;
  if (hasClaim(claims, 'preferred_username')) next.username = fresh.username;
  return next;
}
