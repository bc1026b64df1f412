/**
 * The test identity provider's people: `alice` is in `af-users` (the group the
 * API server's RBAC and IM's OIDC_GROUPS can require), `bob` is in no group,
 * so tests can show both an allowed and a refused sign-in.
 */
export interface IdpUser {
  username: string;
  password: string;
  groups: string[];
}

export const TEST_USERS: readonly IdpUser[] = [
  { username: 'alice', password: 'alice-testbed-password', groups: ['af-users'] },
  { username: 'bob', password: 'bob-testbed-password', groups: [] },
];

/** The claims one person carries; `sub` is the user name so API-server user names stay readable. */
export interface UserClaims {
  sub: string;
  preferred_username: string;
  name: string;
  email: string;
  email_verified: boolean;
  groups: string[];
  [claim: string]: unknown;
}

export function findUser(username: string): IdpUser | undefined {
  return TEST_USERS.find((user) => user.username === username);
}

export function userClaims(user: IdpUser): UserClaims {
  return {
    sub: user.username,
    preferred_username: user.username,
    name: user.username[0]?.toUpperCase() + user.username.slice(1),
    email: `${user.username}@testbed.example`,
    email_verified: true,
    groups: [...user.groups],
  };
}
