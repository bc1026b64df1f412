/**
 * A computer whose clock is ahead of the provider's: the provider's ID token
 * then looks expired here. Up to two minutes are tolerated; beyond, the user
 * is told to check the clock. A scripted provider answers through the fetch
 * (the real test IdP shares this machine's clock).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FetchLike } from '../../../main/auth/fetch';
import { AuthSession } from '../../../main/auth/session';
import { MemoryVault } from '../../../main/auth/vault';
import { AfpError } from '../../../main/errors';
import { createLogger } from '../../../main/log';

const ISSUER = 'https://idp.clock.test';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function providerWithClockBehind(secondsBehind: number): FetchLike {
  const json = (body: unknown, status = 200): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  return (input) => {
    const path = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input).pathname;
    if (path === '/.well-known/openid-configuration') {
      return Promise.resolve(
        json({
          issuer: ISSUER,
          token_endpoint: `${ISSUER}/token`,
          device_authorization_endpoint: `${ISSUER}/device`,
          scopes_supported: ['openid'],
        }),
      );
    }
    if (path === '/device')
      return Promise.resolve(
        json({ device_code: 'd', user_code: 'ABCD-EFGH', verification_uri: `${ISSUER}/activate`, expires_in: 60, interval: 1 }),
      );
    // The provider's "now" lags ours; its 30-second ID token expired, by our clock, secondsBehind - 30 s ago.
    const now = Math.floor(Date.now() / 1000) - secondsBehind;
    const idToken = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ iss: ISSUER, aud: 'afp', sub: 'rosa', preferred_username: 'rosa', groups: ['af-users'], iat: now, exp: now + 30 })}.c2lnbmF0dXJl`;
    return Promise.resolve(json({ access_token: 'clock-test-access-token', token_type: 'bearer', expires_in: 300, id_token: idToken }));
  };
}

async function signIn(secondsBehind: number): Promise<AuthSession> {
  const session = new AuthSession({
    vault: new MemoryVault(),
    fetch: providerWithClockBehind(secondsBehind),
    log: createLogger(() => undefined),
  });
  await session.signIn(
    { issuer: ISSUER, clientId: 'afp', scopes: ['openid'] },
    { method: 'device', onPrompt: () => undefined },
    AbortSignal.timeout(10_000),
  );
  return session;
}

describe('clock skew with the identity provider', () => {
  it('tolerates a provider clock 2 minutes behind', { timeout: 15_000 }, async () => {
    const session = await signIn(120);
    assert.equal(session.status().user?.username, 'rosa');
  });

  it('says to check the clock when it is 10 minutes off, and keeps nothing', { timeout: 15_000 }, async () => {
    await assert.rejects(signIn(600), (error: unknown) => {
      assert.ok(error instanceof AfpError);
      assert.equal(error.code, 'unauthorized');
      assert.match(
        error.message,
        /^The clocks of this computer and of the identity provider idp\.clock\.test differ by more than 2 minutes .*check this computer's date and time/,
      );
      return true;
    });
  });
});
