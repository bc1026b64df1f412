/**
 * The test bed's identity provider, exercised the way the app and kubectl use
 * it: discovery, authorization code + PKCE through the login form, the device
 * grant, refresh, userinfo, revocation, and `groups` in every token.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import * as oidc from 'openid-client';
import { createCa } from '../../testbed/ca';
import { startIdp, type Idp } from '../../testbed/idp';
import { caFetch, type FetchLike } from '../../testbed/idp/ca-fetch';
import { signInWithForms, type Credentials } from '../../testbed/idp/form-sign-in';

let dir: string;
let idp: Idp;
let fetch: FetchLike;
let config: oidc.Configuration;
let alice: Credentials;
let bob: Credentials;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afp-idp-test-'));
  const ca = await createCa(join(dir, 'ca'));
  idp = await startIdp({ ca, dir, logDir: dir });
  fetch = caFetch(ca.certPem);
  config = await oidc.discovery(new URL(idp.issuer), idp.clientId, undefined, oidc.None(), { [oidc.customFetch]: fetch });
  config[oidc.customFetch] = fetch;
  const find = (name: string): Credentials => {
    const user = idp.users.find((u) => u.username === name);
    assert.ok(user, `test user ${name}`);
    return user;
  };
  alice = find('alice');
  bob = find('bob');
});

after(async () => {
  await idp?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function codeFlow(user: Credentials, extra: Record<string, string> = {}, port = 49152 + Math.floor(Math.random() * 10000)) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
    ...extra,
  });
  const result = await signInWithForms(url.href, user, fetch);
  assert.ok(result.redirect, `expected a redirect to the loopback callback, got page: ${result.pageText ?? ''}`);
  assert.equal(result.redirect.origin, `http://127.0.0.1:${port}`);
  return oidc.authorizationCodeGrant(config, result.redirect, { pkceCodeVerifier: verifier, expectedState: state });
}

async function jwks(): Promise<JSONWebKeySet> {
  const response = await fetch(config.serverMetadata().jwks_uri ?? '');
  return (await response.json()) as JSONWebKeySet;
}

describe('test bed identity provider', () => {
  it('advertises the endpoints the app, kubectl and IM rely on', () => {
    const meta = config.serverMetadata();
    assert.equal(meta.issuer, idp.issuer);
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'device_authorization_endpoint',
      'revocation_endpoint',
      'introspection_endpoint',
      'userinfo_endpoint',
      'jwks_uri',
    ] as const) {
      assert.match(String(meta[endpoint]), /^https:\/\/127\.0\.0\.1:\d+\//, endpoint);
    }
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.grant_types_supported?.includes('urn:ietf:params:oauth:grant-type:device_code'));
  });

  it('signs alice in with PKCE on any loopback port; ID and access tokens carry her groups', async () => {
    const tokens = await codeFlow(alice);
    const idClaims = tokens.claims();
    assert.equal(idClaims?.sub, 'alice');
    assert.equal(idClaims?.aud, idp.clientId);
    assert.deepEqual(idClaims?.groups, ['af-users']);
    assert.equal(idClaims?.preferred_username, 'alice');

    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createLocalJWKSet(await jwks()), {
      issuer: idp.issuer,
      audience: idp.clientId,
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(payload.aud, idp.clientId, 'a single audience string: IM splits aud on commas');
    assert.deepEqual(payload.groups, ['af-users']);
    assert.equal(payload.sub, 'alice');
    assert.ok(tokens.refresh_token, 'offline_access with prompt=consent yields a refresh token');
  });

  it('gives bob tokens with an empty groups claim', async () => {
    const tokens = await codeFlow(bob, {}, 50123);
    assert.deepEqual(tokens.claims()?.groups, []);
    assert.deepEqual(decodeJwt(tokens.access_token).groups, []);
  });

  it('answers userinfo for the JWT access token, as IM needs', async () => {
    const tokens = await codeFlow(alice);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, 'alice');
    assert.equal(info.preferred_username, 'alice');
    assert.deepEqual(info.groups, ['af-users']);
    const forged = `${tokens.access_token.slice(0, -4)}AAAA`;
    const answer = await fetch(config.serverMetadata().userinfo_endpoint ?? '', { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(answer.status, 401);
  });

  it('refreshes, with lifetimes changed at run time, and refuses a revoked refresh token', async () => {
    const before = await idp.setTtl({ accessToken: 3 });
    try {
      assert.equal(before.accessToken, 3);
      const tokens = await codeFlow(alice);
      assert.ok(tokens.expires_in !== undefined && tokens.expires_in <= 3, `expires_in ${tokens.expires_in}`);
      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
      assert.notEqual(refreshed.access_token, tokens.access_token);
      assert.deepEqual(decodeJwt(refreshed.access_token).groups, ['af-users']);
      assert.equal(decodeJwt(refreshed.access_token).aud, idp.clientId);
      assert.ok(refreshed.refresh_token, 'public clients get a rotated refresh token');
      await oidc.tokenRevocation(config, refreshed.refresh_token ?? '');
      await assert.rejects(
        oidc.refreshTokenGrant(config, refreshed.refresh_token ?? ''),
        (error: { error?: unknown }) => error.error === 'invalid_grant',
      );
    } finally {
      await idp.setTtl({ accessToken: 600 });
    }
  });

  it('completes the device grant once the user confirms the code and signs in', { timeout: 60_000 }, async () => {
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline_access' });
    assert.ok(device.verification_uri_complete);
    const polling = new AbortController();
    const [tokens, page] = await Promise.all([
      oidc.pollDeviceAuthorizationGrant(config, device, undefined, {
        signal: AbortSignal.any([polling.signal, AbortSignal.timeout(30_000)]),
      }),
      signInWithForms(device.verification_uri_complete, alice, fetch).catch((error: unknown) => {
        polling.abort();
        throw error;
      }),
    ]);
    assert.match(page.pageText ?? '', /Device connected/);
    assert.deepEqual(tokens.claims()?.groups, ['af-users']);
    assert.deepEqual(decodeJwt(tokens.access_token).groups, ['af-users']);
    assert.ok(tokens.refresh_token, 'the device grant with offline_access yields a refresh token');
  });

  it('refuses a wrong password on the login page', async () => {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:50200/callback',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const result = await signInWithForms(url.href, { username: 'alice', password: 'wrong' }, fetch);
    assert.equal(result.redirect, undefined);
    assert.equal(result.status, 401);
    assert.match(result.pageText ?? '', /Wrong username or password/);
  });

  it('refuses an authorization request without PKCE and a redirect that is not loopback', async () => {
    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: 'http://127.0.0.1:50201/callback', scope: 'openid' });
    const withoutPkce = await signInWithForms(noPkce.href, alice, fetch);
    assert.equal(withoutPkce.redirect?.searchParams.get('error'), 'invalid_request');
    assert.match(withoutPkce.redirect?.searchParams.get('error_description') ?? '', /PKCE/);

    const elsewhere = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://attacker.example/callback',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const refused = await signInWithForms(elsewhere.href, alice, fetch);
    assert.equal(refused.redirect, undefined);
    assert.match(refused.pageText ?? '', /redirect_uri/);
  });
});
