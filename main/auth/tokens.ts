/**
 * Tokens as the session holds them. Each one is registered as a secret the
 * moment it arrives, so no log line or error message can carry it.
 */
import type * as oidc from 'openid-client';
import { registerSecret } from '../log';

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Local clock, ms: when the access token was received. */
  receivedAt: number;
  /** Local clock, ms: receivedAt + expires_in, so a skewed clock cannot make us refresh late. */
  expiresAt: number;
}

/** Used when a provider omits expires_in: short enough that a wrong guess costs one early refresh. */
const ASSUMED_LIFETIME_MS = 5 * 60_000;
/** Renew this long before expiry at most… */
const MAX_MARGIN_MS = 60_000;
/** …and at 80 % of the lifetime for short-lived tokens. */
const MARGIN_SHARE = 0.2;

export function tokensFrom(response: oidc.TokenEndpointResponse, now: number, previous?: Tokens): Tokens {
  for (const secret of [response.access_token, response.refresh_token, response.id_token]) if (secret !== undefined) registerSecret(secret);
  const lifetimeMs = response.expires_in === undefined ? ASSUMED_LIFETIME_MS : Math.max(0, response.expires_in) * 1000;
  const tokens: Tokens = { accessToken: response.access_token, receivedAt: now, expiresAt: now + lifetimeMs };
  // A refresh answer may leave out the refresh token (no rotation) or the ID token: keep the ones we had.
  const refreshToken = response.refresh_token ?? previous?.refreshToken;
  const idToken = response.id_token ?? previous?.idToken;
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  if (idToken !== undefined) tokens.idToken = idToken;
  return tokens;
}

/** When to renew: 60 s before expiry, or at 80 % of the lifetime when that comes first. */
export function refreshDueAt(tokens: Pick<Tokens, 'receivedAt' | 'expiresAt'>): number {
  const lifetime = Math.max(0, tokens.expiresAt - tokens.receivedAt);
  return tokens.expiresAt - Math.min(MAX_MARGIN_MS, lifetime * MARGIN_SHARE);
}

export function isFresh(tokens: Pick<Tokens, 'receivedAt' | 'expiresAt'>, now: number): boolean {
  return now < refreshDueAt(tokens);
}
