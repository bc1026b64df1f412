/**
 * Who signed in, as the app shows it: names and groups read from the ID token
 * (or userinfo, where the provider keeps groups there). Never a token.
 */
import type { AuthUser } from '../contract/auth';
import { DEFAULT_GROUPS_CLAIM } from './settings';

export type Claims = Readonly<Record<string, unknown>>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A groups claim as providers send it: a list, or one string separated by spaces or commas. */
export function groupsFrom(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return [...new Set(items.filter((item): item is string => typeof item === 'string' && item !== ''))];
}

export function hasClaim(claims: Claims | undefined, name: string): boolean {
  return claims !== undefined && claims[name] !== undefined;
}

/** Builds the user from ID-token claims, completed by userinfo claims for what the ID token lacks. */
export function identityFrom(idClaims: Claims | undefined, userinfo: Claims | undefined, groupsClaim = DEFAULT_GROUPS_CLAIM): AuthUser {
  const pick = (name: string): unknown => idClaims?.[name] ?? userinfo?.[name];
  const subject = text(pick('sub')) ?? '';
  const username = text(pick('preferred_username')) ?? text(pick('email')) ?? subject;
  const name = text(pick('name')) ?? ([text(pick('given_name')), text(pick('family_name'))].filter(Boolean).join(' ') || username);
  const email = text(pick('email'));
  const user: AuthUser = { subject, username, name, groups: groupsFrom(pick(groupsClaim)) };
  if (email !== undefined) user.email = email;
  return user;
}
