/**
 * Renewal against a real oidc-provider of this file's own (10-second access
 * tokens, so renewal happens within a test): before expiry, one request for
 * any number of callers, a clear "sign in again" when the provider refuses,
 * revocation on sign-out, and two processes sharing one vault.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { REFRESH_REJECTED } from '../../../main/auth/auth-errors';
import { discoverProvider } from '../../../main/auth/provider';
import { AfpError } from '../../../main/errors';
import {
  assertNoSecrets,
  countingFetch,
  newSession,
  signedIn,
  startOwnIdp,
  type CountingFetch,
  type OwnIdp,
  type TestSession,
} from './support';

const ACCESS_TTL_S = 10;
const REFRESH = 'refresh_token';

let own: OwnIdp;
const seen: string[] = [];
const logs: string[][] = [];

before(async () => {
  own = await startOwnIdp({ accessTokenTtl: ACCESS_TTL_S });
});
after(async () => {
  // Every token any test held must be absent from every log line.
  assertNoSecrets(seen, { 'the logs': logs.flat().join('\n') });
  await own?.stop();
});

async function start(options: { keepFresh?: boolean } = {}): Promise<{ test: TestSession; counter: CountingFetch }> {
  const counter = countingFetch(own.caPem);
  const test = await signedIn(own.settings, own.user('alice'), own.caPem, { fetch: counter.fetch, ...options });
  logs.push(test.recorder.lines);
  return { test, counter };
}

async function token(test: TestSession): Promise<string> {
  const value = await test.session.accessToken();
  seen.push(value);
  return value;
}

function refreshes(counter: CountingFetch): number {
  return counter.grants.filter((grant) => grant === REFRESH).length;
}

function expiryMs(accessToken: string): number {
  return (decodeJwt(accessToken).exp ?? 0) * 1000;
}

describe('session renewal', () => {
  it('renews at 80 % of the lifetime, before the token expires, and not before', { timeout: 60_000 }, async () => {
    const { test, counter } = await start();
    try {
      const first = await token(test);
      await sleep(1000);
      assert.equal(await token(test), first, 'a fresh token is handed out as is');
      assert.equal(refreshes(counter), 0);
      const due = (test.session.status().expiresAt ?? 0) - ACCESS_TTL_S * 1000 * 0.2;
      await sleep(Math.max(0, due - Date.now()) + 100);
      const askedAt = Date.now();
      const second = await token(test);
      assert.notEqual(second, first);
      assert.equal(refreshes(counter), 1);
      // Before expiry is the promise; how long before depends on how late this busy machine woke the test.
      assert.ok(askedAt < expiryMs(first), `renewed ${askedAt - expiryMs(first)} ms after the old token expired`);
      assert.deepEqual(decodeJwt(second).groups, ['af-users']);
    } finally {
      await test.close();
    }
  });

  it('makes exactly one refresh request for 20 callers at once', { timeout: 60_000 }, async () => {
    const { test, counter } = await start();
    try {
      const first = await token(test);
      await sleep(Math.max(0, (test.session.status().expiresAt ?? 0) - 1000 - Date.now()));
      const before = refreshes(counter);
      const tokens = await Promise.all(Array.from({ length: 20 }, () => token(test)));
      assert.equal(refreshes(counter) - before, 1, 'one refresh request at the IdP');
      assert.equal(new Set(tokens).size, 1, 'every caller got the same new token');
      assert.notEqual(tokens[0], first);
    } finally {
      await test.close();
    }
  });

  it('renews in the background before expiry when asked to keep fresh', { timeout: 60_000 }, async () => {
    const { test, counter } = await start({ keepFresh: true });
    try {
      let changes = 0;
      test.session.onChange(() => changes++);
      const firstExpiry = test.session.status().expiresAt ?? 0;
      await sleep(ACCESS_TTL_S * 1000 - 500);
      assert.equal(refreshes(counter), 1, 'one background renewal within the lifetime');
      assert.ok((test.session.status().expiresAt ?? 0) > firstExpiry);
      assert.ok(changes >= 1, 'listeners heard of the new expiry');
    } finally {
      await test.close();
    }
  });

  it(
    'falls back to "sign in again" when the refresh token was revoked, keeping who it was and nothing else',
    { timeout: 60_000 },
    async () => {
      const { test } = await start();
      try {
        const record = await test.vault.load();
        assert.ok(record);
        seen.push(record.refreshToken);
        // Revoked elsewhere (the user's account page, an admin), not by this app.
        const provider = await discoverProvider(own.settings);
        await oidc.tokenRevocation(provider.config, record.refreshToken);
        let changes = 0;
        test.session.onChange(() => changes++);

        await assert.rejects(
          test.session.refresh(),
          (error: unknown) => error instanceof AfpError && error.code === 'unauthorized' && error.message === REFRESH_REJECTED,
        );
        const status = test.session.status();
        assert.equal(status.state, 'needs-login');
        assert.equal(status.user?.username, 'alice');
        assert.equal(status.error?.message, REFRESH_REJECTED);
        assert.ok(changes >= 1);
        await assert.rejects(stat(test.vault.file), { code: 'ENOENT' }, 'the dead refresh token left the vault');
        await assert.rejects(test.session.accessToken(), { message: REFRESH_REJECTED });
      } finally {
        await test.close();
      }
    },
  );

  it('goes to "sign in again" when the refresh token has expired', { timeout: 60_000 }, async () => {
    await own.idp.setTtl({ refreshToken: 2 });
    let test: TestSession | undefined;
    try {
      ({ test } = await start());
    } finally {
      await own.idp.setTtl({ refreshToken: 24 * 60 * 60 });
    }
    try {
      await sleep(3000);
      await assert.rejects(test.session.refresh(), { message: REFRESH_REJECTED });
      assert.equal(test.session.status().state, 'needs-login');
    } finally {
      await test.close();
    }
  });

  it('revokes at the IdP and clears the vault on sign-out', { timeout: 60_000 }, async () => {
    const { test } = await start();
    try {
      const record = await test.vault.load();
      assert.ok(record);
      seen.push(record.refreshToken);
      assert.deepEqual(await test.session.signOut(), { revoked: true });
      await assert.rejects(stat(test.vault.file), { code: 'ENOENT' });
      assert.equal(test.session.status().state, 'signed-out');
      assert.equal(test.session.status().user, undefined);
      await assert.rejects(
        test.session.accessToken(),
        (error: unknown) => error instanceof AfpError && error.code === 'unauthorized' && /Not signed in/.test(error.message),
      );
      const provider = await discoverProvider(own.settings);
      await assert.rejects(
        oidc.refreshTokenGrant(provider.config, record.refreshToken),
        (error: { error?: unknown }) => error.error === 'invalid_grant',
      );
    } finally {
      await test.close();
    }
  });

  it('on a 401, renews once and retries once; a second 401 is reported, never looped', { timeout: 60_000 }, async () => {
    const { test, counter } = await start();
    try {
      const first = await token(test);
      const used: string[] = [];
      const answer = await test.session.withFreshToken((value) => {
        used.push(value);
        return used.length === 1 ? Promise.reject(Object.assign(new Error('HTTP 401'), { statusCode: 401 })) : Promise.resolve('ok');
      });
      assert.equal(answer, 'ok');
      assert.equal(used.length, 2);
      assert.equal(used[0], first);
      assert.notEqual(used[1], first, 'the retry carried a renewed token');
      assert.equal(refreshes(counter), 1);
      seen.push(...used);

      let calls = 0;
      await assert.rejects(
        test.session.withFreshToken(() => {
          calls++;
          return Promise.reject(Object.assign(new Error('IM: OIDC token expired'), { status: 401 }));
        }),
        { message: 'IM: OIDC token expired' },
      );
      assert.equal(calls, 2);
      assert.equal(refreshes(counter), 2);
      const other = await test.session.withFreshToken(() => Promise.reject(new Error('boom'))).catch((error: unknown) => error);
      assert.equal((other as Error).message, 'boom', 'other failures pass through without a renewal');
      assert.equal(refreshes(counter), 2);
    } finally {
      await test.close();
    }
  });

  it(
    "resumes from the vault in a new process, and two processes sharing it follow each other's rotated token",
    { timeout: 60_000 },
    async () => {
      const { test } = await start();
      try {
        const first = await newSession({ vaultDir: test.dir });
        const second = await newSession({ vaultDir: test.dir });
        logs.push(first.recorder.lines, second.recorder.lines);
        assert.equal(first.session.status().state, 'signed-in');
        assert.equal(first.session.status().user?.username, 'alice');
        assert.equal(first.session.status().expiresAt, undefined, 'no access token was stored');
        seen.push(await first.session.accessToken());
        // The first process rotated the refresh token; the second still holds the old one in memory.
        // Reusing a rotated token would make the IdP revoke the whole grant.
        seen.push(await second.session.accessToken());
        seen.push(await test.session.accessToken().catch(() => ''));
        assert.equal(second.session.status().state, 'signed-in');
        const record = await test.vault.load();
        assert.ok(record);
        seen.push(record.refreshToken);
        first.session.dispose();
        second.session.dispose();
      } finally {
        await test.close();
      }
    },
  );
});
