/** Which identity provider to sign in with, and how: from the site profile's `auth` section or the CLI's flags. */
import type { SiteProfile } from '../site/profile-schema';

export const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export const DEFAULT_GROUPS_CLAIM = 'groups';

export interface AuthSettings {
  issuer: string;
  clientId: string;
  /** Default DEFAULT_SCOPES; `groups` is added where the provider offers it. */
  scopes?: readonly string[];
  /** Claim holding the user's groups or AARC entitlements (e.g. eduperson_entitlement); default `groups`. */
  groupsClaim?: string;
  /** Groups or entitlements of which the user needs one to deploy; empty = anyone signed in. */
  requiredGroups?: readonly string[];
  /** PEM file of a CA to trust for the provider, beside the system's (a site's private CA, the test bed's). */
  caFile?: string;
}

export function authSettingsFromProfile(profile: Pick<SiteProfile, 'auth'>): AuthSettings | undefined {
  const auth = profile.auth;
  if (auth === undefined) return undefined;
  return {
    issuer: auth.issuer,
    clientId: auth.clientId,
    scopes: auth.scopes,
    requiredGroups: auth.requiredGroups,
    ...(auth.groupsClaim === undefined ? {} : { groupsClaim: auth.groupsClaim }),
    ...(auth.caFile === undefined ? {} : { caFile: auth.caFile }),
  };
}

/** The scopes to ask for: the configured ones, plus `groups` when the provider lists it and it was not asked for. */
export function scopesToRequest(settings: AuthSettings, supported: readonly string[] | undefined): string[] {
  const scopes = [...(settings.scopes ?? DEFAULT_SCOPES)];
  if (!scopes.includes('openid')) scopes.unshift('openid');
  if (supported?.includes('groups') === true && !scopes.includes('groups')) scopes.push('groups');
  return scopes;
}

/** Two settings name the same sign-in when issuer and client agree (trailing slashes aside). */
export function sameProvider(a: Pick<AuthSettings, 'issuer' | 'clientId'>, b: Pick<AuthSettings, 'issuer' | 'clientId'>): boolean {
  return a.clientId === b.clientId && a.issuer.replace(/\/+$/, '') === b.issuer.replace(/\/+$/, '');
}
