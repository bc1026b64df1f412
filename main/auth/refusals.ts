/** Recognising "your token is no good" in the shapes different servers and libraries give it. */
import { ResponseBodyError } from 'openid-client';
import { AfpError } from '../errors';

function numberField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'number' ? found : undefined;
}

/**
 * A 401 from an API server or IM: our AfpError 'unauthorized', client-node's
 * ApiException (`code`), a fetch Response or anything with `status` /
 * `statusCode` 401.
 */
export function isUnauthorized(error: unknown): boolean {
  if (error instanceof AfpError) return error.code === 'unauthorized';
  if (error instanceof Response) return error.status === 401;
  return [numberField(error, 'status'), numberField(error, 'statusCode'), numberField(error, 'code')].includes(401);
}

/** The provider refused the refresh token itself (expired, revoked, reused): only a new sign-in helps. */
export function isInvalidGrant(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof ResponseBodyError) return current.error === 'invalid_grant';
    current = typeof current === 'object' && 'cause' in current ? (current as { cause?: unknown }).cause : undefined;
  }
  return false;
}
