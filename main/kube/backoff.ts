/**
 * Exponential backoff with jitter, so many clients retrying after one outage
 * spread out instead of hitting the API server in step.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A number in [0, 1); Math.random by default (tests pass their own). */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000 };

/** The delay before retry number `attempt` (1-based): half fixed, half random, never above maxMs. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
