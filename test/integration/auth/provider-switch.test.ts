/**
 * A site profile that changes identity provider while the app runs: the
 * session from the old provider is kept but hands out no token (one site's
 * token must never reach another site's servers), says why, and works again
 * when the profile returns to its provider.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AfpError } from '../../../main/errors';
import { bedIdp, signedIn } from './support';

describe('a site profile that switches identity provider', () => {
  it('stops handing out the old provider’s token, says why, and resumes when the profile switches back', { timeout: 60_000 }, async () => {
    const bed = bedIdp();
    let expected = { issuer: bed.settings.issuer, clientId: bed.settings.clientId };
    const test = await signedIn(bed.settings, bed.user('alice'), bed.caPem, { expected: () => expected });
    try {
      const token = await test.session.accessToken();
      assert.ok(token.length > 0);
      assert.equal(test.session.status().state, 'signed-in');

      expected = { issuer: 'https://iam.other-site.example/', clientId: 'afp-desktop' };
      await assert.rejects(test.session.accessToken(), (error: unknown) => {
        assert.ok(error instanceof AfpError);
        assert.equal(error.code, 'unauthorized');
        assert.match(
          error.message,
          new RegExp(
            `signed in at ${bed.settings.issuer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, but the site profile now uses https://iam\\.other-site\\.example/`,
          ),
        );
        return true;
      });
      const status = test.session.status();
      assert.equal(status.state, 'needs-login');
      assert.match(status.error?.message ?? '', /sign in again there/);
      assert.equal(
        await test.session
          .withFreshToken(() => Promise.resolve('called'))
          .catch((error: unknown) => (error instanceof AfpError ? error.code : 'other')),
        'unauthorized',
        'no call is made with the other provider’s token',
      );

      expected = { issuer: bed.settings.issuer, clientId: bed.settings.clientId };
      assert.equal(await test.session.accessToken(), token, 'the kept session is usable again, without signing in');
      assert.equal(test.session.status().state, 'signed-in');
    } finally {
      await test.close();
    }
  });
});
