/**
 * Group checks before anything is called: the site profile names the groups
 * (or AARC-G002 entitlements) of which the user needs one.
 */
import { AfpError } from '../errors';
import type { AuthUser } from '../contract/auth';

/**
 * True when `held` satisfies `required`: the same name (Keycloak's leading
 * slash aside), or, for AARC-G002 entitlements, the same group where the
 * requirement names no role or no authority
 * (`urn:mace:egi.eu:group:vo.example:role=member#aai.egi.eu` satisfies
 * `urn:mace:egi.eu:group:vo.example`).
 */
export function satisfies(held: string, required: string): boolean {
  const want = required.replace(/^\//, '');
  let have = held.replace(/^\//, '');
  if (have === want) return true;
  if (!want.includes('#')) have = have.replace(/#.*$/, '');
  if (!want.includes(':role=')) have = have.replace(/:role=[^:#]*(?=#|$)/, '');
  return have === want;
}

export function missingGroups(groups: readonly string[], required: readonly string[]): string[] {
  return required.filter((want) => !groups.some((held) => satisfies(held, want)));
}

/**
 * Refuses, before any request leaves, when the user holds none of the
 * required groups (the site profile's rule: any one suffices). The message
 * names the group(s) and what needed them.
 */
export function requireGroups(user: AuthUser | undefined, required: readonly string[], purpose = 'this'): void {
  if (required.length === 0) return;
  if (user === undefined) throw new AfpError('unauthorized', `Sign in first: ${purpose} needs membership of ${listOf(required)}.`);
  if (missingGroups(user.groups, required).length < required.length) return;
  const held = user.groups.length === 0 ? 'you are in no group' : `your groups are ${user.groups.map((g) => `"${g}"`).join(', ')}`;
  throw new AfpError(
    'forbidden',
    `${user.username} is not in ${listOf(required)}, which ${purpose} needs (${held}). Ask your site to add you.`,
    { field: 'groups' },
  );
}

function listOf(groups: readonly string[]): string {
  const quoted = groups.map((group) => `"${group}"`);
  if (quoted.length === 1) return `the group ${quoted[0]}`;
  return `any of the groups ${quoted.join(', ')}`;
}
