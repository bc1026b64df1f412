/**
 * RFC 8628 §3.5 pacing, which the real test IdP never exercises (it never
 * answers slow_down): a scripted provider answers through the fetch the
 * flow is given, and the test times the polls.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signInWithDevice, type DevicePrompt } from '../../../main/auth/sign-in/device-flow';
import type { FetchLike } from '../../../main/auth/fetch';
import { discoverProvider } from '../../../main/auth/provider';
import { AfpError } from '../../../main/errors';

const ISSUER = 'https://idp.example.test';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function scriptedProvider(tokenAnswers: (() => Response)[]): { fetch: FetchLike; polls: number[] } {
  const polls: number[] = [];
  const fetch: FetchLike = (input) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return Promise.resolve(
          json({
            issuer: ISSUER,
            token_endpoint: `${ISSUER}/token`,
            device_authorization_endpoint: `${ISSUER}/device`,
            scopes_supported: ['openid', 'offline_access'],
          }),
        );
      case '/device':
        return Promise.resolve(
          json({ device_code: 'dev-code', user_code: 'WDJB-MJHT', verification_uri: `${ISSUER}/activate`, expires_in: 60, interval: 1 }),
        );
      case '/token': {
        polls.push(Date.now());
        const next = tokenAnswers.shift();
        return Promise.resolve(next === undefined ? json({ error: 'access_denied' }, 400) : next());
      }
      default:
        return Promise.resolve(new Response('not found', { status: 404 }));
    }
  };
  return { fetch, polls };
}

describe('device authorization grant polling', () => {
  it('waits `interval` before polling and 5 s longer after each slow_down', { timeout: 30_000 }, async () => {
    const provider = scriptedProvider([
      () => json({ error: 'authorization_pending' }, 400),
      () => json({ error: 'slow_down' }, 400),
      () => json({ access_token: 'device-access-token-value', token_type: 'bearer', expires_in: 60 }),
    ]);
    const settings = { issuer: ISSUER, clientId: 'afp-desktop' };
    let prompt: DevicePrompt | undefined;
    const started = Date.now();
    const response = await signInWithDevice(await discoverProvider(settings, { fetch: provider.fetch }), {
      onPrompt: (shown) => (prompt = shown),
      signal: AbortSignal.timeout(25_000),
    });
    assert.equal(response.access_token, 'device-access-token-value');
    assert.equal(prompt?.userCode, 'WDJB-MJHT');
    assert.equal(prompt?.verificationUri, `${ISSUER}/activate`);
    const [first = 0, second = 0, third = 0] = provider.polls;
    assert.equal(provider.polls.length, 3);
    assert.ok(first - started >= 950, `first poll after the 1 s interval (${first - started} ms)`);
    assert.ok(second - first >= 950 && second - first < 3000, `second poll 1 s later (${second - first} ms)`);
    assert.ok(third - second >= 5950, `after slow_down the interval grows to 6 s (${third - second} ms)`);
  });

  it('ends with a plain message when the user refuses on the provider page', { timeout: 10_000 }, async () => {
    const provider = scriptedProvider([() => json({ error: 'access_denied', error_description: 'End-User aborted interaction' }, 400)]);
    const settings = { issuer: ISSUER, clientId: 'afp-desktop' };
    await assert.rejects(
      signInWithDevice(await discoverProvider(settings, { fetch: provider.fetch }), {
        onPrompt: () => undefined,
        signal: AbortSignal.timeout(5000),
      }),
      (error: unknown) => error instanceof AfpError && error.code === 'cancelled' && /refused or cancelled/.test(error.message),
    );
  });

  it('stops polling at once when cancelled', { timeout: 10_000 }, async () => {
    const provider = scriptedProvider([]);
    const controller = new AbortController();
    const flow = signInWithDevice(await discoverProvider({ issuer: ISSUER, clientId: 'c' }, { fetch: provider.fetch }), {
      onPrompt: () => controller.abort(),
      signal: controller.signal,
    });
    await assert.rejects(flow, (error: unknown) => error instanceof AfpError && error.code === 'cancelled');
    assert.equal(provider.polls.length, 0);
  });
});
