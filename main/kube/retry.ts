/**
 * Retries for what is transient only (a reset connection, 429, 5xx): with
 * exponential backoff and jitter, honouring the server's Retry-After, and
 * stopping at once when the operation is cancelled. Anything else (403, 409,
 * 422) is an answer, not a hiccup, and is reported at the first attempt.
 */
import { ApiException } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfpError } from '../errors';
import { backoffDelay, type BackoffOptions } from './backoff';
import { isTransientKubeError } from './api-errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  backoff: BackoffOptions;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 6, backoff: { initialMs: 200, maxMs: 5000 }, maxRetryAfterMs: 30_000 };

/** How long to wait before attempt `attempt + 1` after `error`, or undefined when it must not be retried. */
export function retryDelay(attempt: number, error: unknown, options: RetryOptions = DEFAULT_RETRY): number | undefined {
  if (attempt >= options.attempts || !isTransientKubeError(error)) return undefined;
  const delay = backoffDelay(attempt, options.backoff);
  const asked = retryAfterMs(error);
  return asked === undefined ? delay : Math.max(delay, Math.min(asked, options.maxRetryAfterMs));
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const headers = error.headers as Record<string, string | undefined>;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export interface RetryHooks {
  signal?: AbortSignal | undefined;
  options?: RetryOptions | undefined;
  /** Told before each wait, so progress can say "retrying". */
  onRetry?: ((error: unknown, attempt: number, delayMs: number) => void) | undefined;
}

/** Runs `work` until it succeeds, fails for good, or the signal aborts during a wait (then an AfpError 'cancelled' whose cause is the last error). */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const delay = retryDelay(attempt, error, hooks.options);
      if (delay === undefined) throw error;
      hooks.onRetry?.(error, attempt, delay);
      try {
        await sleep(delay, undefined, { signal: hooks.signal });
      } catch {
        throw new AfpError('cancelled', 'Cancelled while waiting to retry.', { cause: error });
      }
    }
  }
}
