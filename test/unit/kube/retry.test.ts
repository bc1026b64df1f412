import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import { describe, it } from 'node:test';
import { isAfpError } from '../../../main/errors';
import { DEFAULT_RETRY, retryDelay, withRetry, type RetryOptions } from '../../../main/kube/retry';

const status = (code: number, headers: Record<string, string> = {}): ApiException<unknown> =>
  new ApiException(code, `HTTP ${code}`, { message: `HTTP ${code}` }, headers);
const reset = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const fast: RetryOptions = { attempts: 4, backoff: { initialMs: 1, maxMs: 4, random: () => 0.5 }, maxRetryAfterMs: 50 };

describe('retry policy', () => {
  it('retries what is transient: resets, HTTP/2 stream failures, 429 and 5xx', () => {
    for (const error of [
      reset(),
      Object.assign(new Error('x'), { code: 'ERR_HTTP2_STREAM_CANCEL' }),
      status(429),
      status(500),
      status(503),
    ]) {
      assert.notEqual(retryDelay(1, error, DEFAULT_RETRY), undefined, String(error));
    }
  });

  it('does not retry answers: 400, 401, 403, 404, 409, 422', () => {
    for (const code of [400, 401, 403, 404, 409, 422]) assert.equal(retryDelay(1, status(code), DEFAULT_RETRY), undefined, String(code));
    assert.equal(retryDelay(1, new Error('a bug'), DEFAULT_RETRY), undefined);
  });

  it('backs off exponentially with jitter, never above the ceiling, and stops after the last attempt', () => {
    const options: RetryOptions = { attempts: 6, backoff: { initialMs: 100, maxMs: 1000 }, maxRetryAfterMs: 30_000 };
    for (let attempt = 1; attempt < 6; attempt += 1) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 20; i += 1) {
        const delay = retryDelay(attempt, reset(), options) ?? -1;
        assert.ok(delay >= ceiling / 2 && delay <= ceiling, `attempt ${attempt}: ${delay} not in [${ceiling / 2}, ${ceiling}]`);
      }
    }
    assert.equal(retryDelay(6, reset(), options), undefined);
  });

  it("honours the server's Retry-After, within a limit", () => {
    assert.equal(retryDelay(1, status(429, { 'retry-after': '3' }), { ...DEFAULT_RETRY, backoff: { initialMs: 1, maxMs: 1 } }), 3000);
    assert.equal(
      retryDelay(1, status(429, { 'retry-after': '3600' }), { ...DEFAULT_RETRY, backoff: { initialMs: 1, maxMs: 1 } }),
      DEFAULT_RETRY.maxRetryAfterMs,
    );
  });

  it('runs again after a reset and succeeds, telling each retry', async () => {
    let calls = 0;
    const told: number[] = [];
    const value = await withRetry(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(reset()) : Promise.resolve('applied');
      },
      { options: fast, onRetry: (_e, attempt) => told.push(attempt) },
    );
    assert.equal(value, 'applied');
    assert.deepEqual(told, [1, 2]);
  });

  it('gives the last error when attempts run out, and a permanent error at once', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(status(503));
        },
        { options: fast },
      ),
      (e: unknown) => e instanceof ApiException && e.code === 503,
    );
    assert.equal(calls, 4);
    calls = 0;
    await assert.rejects(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(status(403));
        },
        { options: fast },
      ),
    );
    assert.equal(calls, 1);
  });

  it('a cancel during the wait ends it as cancelled, carrying the last error', async () => {
    const controller = new AbortController();
    const slow: RetryOptions = { ...fast, backoff: { initialMs: 10_000, maxMs: 10_000 } };
    const started = Date.now();
    const pending = withRetry(() => Promise.reject(reset()), {
      options: slow,
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 5),
    });
    await assert.rejects(
      pending,
      (e: unknown) => isAfpError(e) && e.code === 'cancelled' && (e.cause as { code?: string }).code === 'ECONNRESET',
    );
    assert.ok(Date.now() - started < 2000);
  });
});
