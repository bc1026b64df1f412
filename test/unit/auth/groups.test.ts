import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthUser } from '../../../main/contract/auth';
import { missingGroups, requireGroups, satisfies } from '../../../main/auth/groups';
import { AfpError } from '../../../main/errors';

const alice: AuthUser = { subject: 'alice', username: 'alice', name: 'Alice', groups: ['af-users'] };
const bob: AuthUser = { subject: 'bob', username: 'bob', name: 'Bob', groups: [] };

describe('group requirements', () => {
  it('lets a member through and refuses bob, naming the missing group and the purpose', () => {
    requireGroups(alice, ['af-users'], 'deploying to the Naples cluster');
    assert.throws(
      () => requireGroups(bob, ['af-users'], 'deploying to the Naples cluster'),
      (error: unknown) =>
        error instanceof AfpError &&
        error.code === 'forbidden' &&
        error.message ===
          'bob is not in the group "af-users", which deploying to the Naples cluster needs (you are in no group). Ask your site to add you.',
    );
  });

  it('asks for a sign-in first when nobody is signed in', () => {
    assert.throws(
      () => requireGroups(undefined, ['af-users'], 'deploying'),
      (error: unknown) => error instanceof AfpError && error.code === 'unauthorized' && /Sign in first/.test(error.message),
    );
  });

  it('needs any one of several groups, as the site profile says', () => {
    requireGroups(alice, ['admins', 'af-users']);
    assert.throws(
      () => requireGroups({ ...bob, groups: ['other'] }, ['admins', 'af-users']),
      /any of the groups "admins", "af-users".*your groups are "other"/,
    );
  });

  it('requires nothing when the list is empty', () => {
    requireGroups(undefined, []);
  });

  it('matches AARC entitlements with or without role and authority, and Keycloak group paths', () => {
    const entitlement = 'urn:mace:egi.eu:group:vo.example.org:role=member#aai.egi.eu';
    assert.ok(satisfies(entitlement, 'urn:mace:egi.eu:group:vo.example.org'));
    assert.ok(satisfies(entitlement, 'urn:mace:egi.eu:group:vo.example.org:role=member'));
    assert.ok(satisfies(entitlement, entitlement));
    assert.ok(!satisfies(entitlement, 'urn:mace:egi.eu:group:vo.example.org:role=vm_operator'));
    assert.ok(!satisfies(entitlement, 'urn:mace:egi.eu:group:vo.other.org'));
    assert.ok(!satisfies('urn:mace:egi.eu:group:vo.example.org:sub', 'urn:mace:egi.eu:group:vo.example.org'));
    assert.ok(satisfies('/af-users', 'af-users'));
    assert.ok(!satisfies('af-users-old', 'af-users'));
    assert.deepEqual(missingGroups(['a'], ['a', 'b']), ['b']);
  });
});
