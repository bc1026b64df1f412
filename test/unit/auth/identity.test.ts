import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupsFrom, identityFrom } from '../../../main/auth/identity';

describe('who signed in', () => {
  it('reads names and groups from the ID token', () => {
    const user = identityFrom(
      { sub: 'u-1', preferred_username: 'alice', name: 'Alice A', email: 'a@x.org', groups: ['af-users'] },
      undefined,
    );
    assert.deepEqual(user, { subject: 'u-1', username: 'alice', name: 'Alice A', email: 'a@x.org', groups: ['af-users'] });
  });

  it('takes what the ID token lacks from userinfo, and a configurable claim for AARC entitlements', () => {
    const user = identityFrom(
      { sub: 'u-2', given_name: 'Rosa', family_name: 'Bianchi' },
      { eduperson_entitlement: ['urn:mace:egi.eu:group:vo.example.org:role=member#aai.egi.eu'], email: 'rb@x.org' },
      'eduperson_entitlement',
    );
    assert.equal(user.name, 'Rosa Bianchi');
    assert.equal(user.username, 'rb@x.org');
    assert.deepEqual(user.groups, ['urn:mace:egi.eu:group:vo.example.org:role=member#aai.egi.eu']);
  });

  it('accepts groups as one string and drops duplicates and non-strings', () => {
    assert.deepEqual(groupsFrom('a b,c a'), ['a', 'b', 'c']);
    assert.deepEqual(groupsFrom(['a', 3, null, 'a']), ['a']);
    assert.deepEqual(groupsFrom(undefined), []);
  });
});
