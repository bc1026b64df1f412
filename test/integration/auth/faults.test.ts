/**
 * The identity provider misbehaving, through the test bed's fault proxy in
 * front of an IdP of this file's own: 5xx answers, refused connections, a
 * wrong issuer path, an untrusted certificate, an unknown client; and the
 * IdP's own process stopped and restarted mid-session. Each ends in a plain
 * message; none crashes or leaves half a session.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createAuthFetch, type FetchLike } from '../../../main/auth/fetch';
import { AuthSession } from '../../../main/auth/session';
import { MemoryVault } from '../../../main/auth/vault';
import { REFRESH_REJECTED } from '../../../main/auth/auth-errors';
import { AfpError } from '../../../main/errors';
import { FaultProxy } from '../../testbed/fault/proxy';
import { waitHealthy } from '../../testbed/net';
import { countingFetch, formsBrowser, formsDevice, newSession, signedIn, startOwnIdp, type OwnIdp } from './support';

let own: OwnIdp;
let proxy: FaultProxy;
/** Every provider request goes through the fault proxy (the IdP names the proxy's endpoints when asked through it). */
let viaProxy: FetchLike;

before(async () => {
  own = await startOwnIdp();
  const issuer = new URL(own.settings.issuer);
  const serving = await own.ca.issue('auth-fault-proxy', ['127.0.0.1', 'localhost']);
  proxy = await FaultProxy.start({
    name: 'idp',
    mode: 'http',
    upstream: { host: issuer.hostname, port: Number(issuer.port), tlsCa: own.caPem },
    serving,
  });
  const direct = createAuthFetch({ caPem: own.caPem });
  viaProxy = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    if (url.origin === issuer.origin) url.host = new URL(proxy.url).host;
    return direct(url, init);
  };
});
after(async () => {
  await proxy?.close();
  await own?.stop();
});

function failure(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AfpError, `expected an AfpError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
    return true;
  };
}

describe('identity provider faults', () => {
  it('reports an IdP answering 500 to discovery, and signs in once it recovers', { timeout: 60_000 }, async () => {
    const test = await newSession({ fetch: viaProxy });
    try {
      proxy.set({ httpErrors: [{ status: 500, path: '^/\\.well-known/openid-configuration', times: 1 }] });
      const browser = formsBrowser(own.user('alice'), own.caPem);
      await assert.rejects(
        test.session.signIn(own.settings, browser.how, AbortSignal.timeout(20_000)),
        failure('unavailable', /failed while reading the provider configuration \(HTTP 500\); try again later/),
      );
      assert.equal(test.session.status().state, 'signed-out');
      await assert.rejects(stat(test.vault.file), { code: 'ENOENT' });
      const again = formsBrowser(own.user('alice'), own.caPem);
      await test.session.signIn(own.settings, again.how, AbortSignal.timeout(20_000));
      assert.equal(test.session.status().state, 'signed-in');
    } finally {
      proxy.clear();
      await test.close();
    }
  });

  it(
    'keeps nothing when the token endpoint fails during the code exchange, and says so in the browser tab',
    { timeout: 60_000 },
    async () => {
      const test = await newSession({ fetch: viaProxy });
      try {
        proxy.set({ httpErrors: [{ status: 500, method: 'POST', path: '^/token$', times: 1 }] });
        const browser = formsBrowser(own.user('alice'), own.caPem);
        await assert.rejects(
          test.session.signIn(own.settings, browser.how, AbortSignal.timeout(20_000)),
          failure('unavailable', /HTTP 500/),
        );
        assert.match(await browser.done(), /Sign-in did not complete/);
        assert.equal(test.session.status().state, 'signed-out');
        assert.equal(test.session.status().error?.code, 'unavailable');
        await assert.rejects(stat(test.vault.file), { code: 'ENOENT' });
      } finally {
        proxy.clear();
        await test.close();
      }
    },
  );

  it(
    'stays signed in when a renewal meets a 500 or a refused connection, and renews once the IdP is back',
    { timeout: 60_000 },
    async () => {
      const test = await signedIn(own.settings, own.user('alice'), own.caPem, { fetch: viaProxy });
      try {
        const vaultBefore = await test.vault.load();
        proxy.set({ httpErrors: [{ status: 500, method: 'POST', path: '^/token$' }] });
        await assert.rejects(
          test.session.refresh(),
          failure('unavailable', /failed while renewing the sign-in \(HTTP 500\); try again later/),
        );
        assert.equal(test.session.status().state, 'signed-in');
        assert.deepEqual(await test.vault.load(), vaultBefore, 'the vault is untouched');
        // The token in hand is still valid: callers keep working meanwhile.
        assert.ok((await test.session.accessToken()).length > 20);

        proxy.set({ httpErrors: [], refuseConnections: true });
        await assert.rejects(
          test.session.refresh(),
          failure('unavailable', /Cannot reach the identity provider|connection was reset|renewing the sign-in/),
        );
        assert.equal(test.session.status().state, 'signed-in');

        proxy.clear();
        await test.session.refresh();
        assert.equal(test.session.status().state, 'signed-in');
      } finally {
        proxy.clear();
        await test.close();
      }
    },
  );

  it('says the issuer URL is wrong when it has no discovery document', { timeout: 30_000 }, async () => {
    const session = new AuthSession({ vault: new MemoryVault() });
    const browser = formsBrowser(own.user('alice'), own.caPem);
    await assert.rejects(
      session.signIn({ ...own.settings, issuer: `${own.settings.issuer}/realms/wrong` }, browser.how, AbortSignal.timeout(20_000)),
      failure('invalid_input', /has no OpenID configuration \(HTTP 404 at \/\.well-known\/openid-configuration\): check the issuer URL/),
    );
    assert.equal(session.status().state, 'signed-out');
  });

  it("says the IdP's certificate is not trusted, and how to trust it, without turning verification off", { timeout: 30_000 }, async () => {
    const session = new AuthSession({ vault: new MemoryVault() });
    const { caFile: _ignored, ...withoutCa } = own.settings;
    const browser = formsBrowser(own.user('alice'), own.caPem);
    await assert.rejects(
      session.signIn(withoutCa, browser.how, AbortSignal.timeout(20_000)),
      failure(
        'unavailable',
        /Cannot trust the identity provider .*certificate does not verify \([A-Z_]+\)\. If the site uses its own CA, give its PEM file/,
      ),
    );
  });

  it('names the client id the IdP does not know, on the device path too', { timeout: 30_000 }, async () => {
    const session = new AuthSession({ vault: new MemoryVault() });
    const device = formsDevice(own.user('alice'), own.caPem);
    await assert.rejects(
      session.signIn({ ...own.settings, clientId: 'not-registered' }, device.how, AbortSignal.timeout(20_000)),
      failure('invalid_input', /does not accept the client id "not-registered" \(invalid_client/),
    );
    assert.equal(session.status().state, 'signed-out');
  });

  it(
    "rides out the IdP's process stopped mid-session, then asks once for a new sign-in when the restarted IdP has forgotten the grant",
    { timeout: 90_000 },
    async () => {
      const counter = countingFetch(own.caPem);
      const test = await signedIn(own.settings, own.user('alice'), own.caPem, { fetch: counter.fetch });
      try {
        const inHand = await test.session.accessToken();
        await own.idp.process.stop();
        await assert.rejects(test.session.refresh(), failure('unavailable', /identity provider/));
        assert.equal(test.session.status().state, 'signed-in', 'a provider that is down ends no session');
        assert.equal(await test.session.accessToken(), inHand, 'the valid token in hand still serves');
        assert.ok(await test.vault.load(), 'the vault keeps the session');

        // The bed's IdP keeps grants in memory, as many small deployments do: a restart forgets every refresh token.
        own.idp.process.start();
        await waitHealthy(
          `${own.settings.issuer}/.well-known/openid-configuration`,
          { ca: own.caPem },
          { timeoutMs: 30_000, process: own.idp.process },
        );
        const refreshesBefore = counter.grants.filter((g) => g === 'refresh_token').length;
        await assert.rejects(test.session.refresh(), { message: REFRESH_REJECTED });
        assert.equal(test.session.status().state, 'needs-login');
        await assert.rejects(test.session.accessToken(), { message: REFRESH_REJECTED });
        assert.equal(counter.grants.filter((g) => g === 'refresh_token').length - refreshesBefore, 1, 'one renewal tried, not a loop');
        await assert.rejects(stat(test.vault.file), { code: 'ENOENT' }, 'the dead refresh token left the vault');

        const again = await signedIn(own.settings, own.user('alice'), own.caPem);
        try {
          assert.equal(again.session.status().state, 'signed-in');
        } finally {
          await again.close();
        }
      } finally {
        if (!own.idp.process.running) own.idp.process.start();
        await test.close();
      }
    },
  );

  it('reports an IdP that went away (connection refused) with its address', { timeout: 30_000 }, async () => {
    const session = new AuthSession({ vault: new MemoryVault(), fetch: viaProxy });
    proxy.set({ refuseConnections: true });
    try {
      const device = formsDevice(own.user('alice'), own.caPem);
      await assert.rejects(
        session.signIn(own.settings, device.how, AbortSignal.timeout(20_000)),
        failure('unavailable', /identity provider/),
      );
    } finally {
      proxy.clear();
    }
  });
});
