import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFresh, refreshDueAt, tokensFrom } from '../../../main/auth/tokens';
import { redact } from '../../../main/log';

describe('token lifetimes', () => {
  it('renews a 10-minute token 60 s before it expires', () => {
    const tokens = tokensFrom({ access_token: 'access-token-ten-minutes', token_type: 'bearer', expires_in: 600 }, 1_000_000);
    assert.equal(tokens.expiresAt, 1_600_000);
    assert.equal(refreshDueAt(tokens), 1_540_000);
    assert.ok(isFresh(tokens, 1_539_999));
    assert.ok(!isFresh(tokens, 1_540_000));
  });

  it('renews a short-lived token at 80 % of its lifetime', () => {
    const tokens = tokensFrom({ access_token: 'access-token-ten-seconds', token_type: 'bearer', expires_in: 10 }, 0);
    assert.equal(refreshDueAt(tokens), 8_000);
  });

  it('times expiry by the local clock from expires_in, so a skewed clock cannot delay renewal', () => {
    const skewedNow = Date.UTC(2001, 0, 1);
    const tokens = tokensFrom({ access_token: 'access-token-skewed-clock', token_type: 'bearer', expires_in: 300 }, skewedNow);
    assert.equal(tokens.expiresAt - skewedNow, 300_000);
  });

  it('keeps the refresh and ID tokens a refresh answer leaves out', () => {
    const first = tokensFrom(
      {
        access_token: 'first-access-token-value',
        token_type: 'bearer',
        refresh_token: 'first-refresh-token-value',
        id_token: 'first-id-token-value',
        expires_in: 60,
      },
      0,
    );
    const second = tokensFrom({ access_token: 'second-access-token-value', token_type: 'bearer', expires_in: 60 }, 1000, first);
    assert.equal(second.refreshToken, 'first-refresh-token-value');
    assert.equal(second.idToken, 'first-id-token-value');
    assert.equal(second.accessToken, 'second-access-token-value');
  });

  it('assumes five minutes when the provider gives no expires_in', () => {
    assert.equal(tokensFrom({ access_token: 'access-token-without-expiry', token_type: 'bearer' }, 0).expiresAt, 300_000);
  });

  it('registers every token it receives as a secret, so logs redact it', () => {
    tokensFrom(
      { access_token: 'eyJ-secret-access-token-1234', token_type: 'bearer', refresh_token: 'secret-refresh-token-5678', expires_in: 60 },
      0,
    );
    assert.equal(redact('Bearer eyJ-secret-access-token-1234 and secret-refresh-token-5678'), 'Bearer [redacted] and [redacted]');
  });
});
