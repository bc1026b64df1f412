/**
 * The inventory is a plain file in the user's config folder: a token or a
 * generated password written there would outlive every session. Records are
 * checked before each write and refused, loudly, when one slips in.
 */
import { AfpError } from '../errors';
import { fieldPath } from './inventory-file';

const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/;
/** Value names that only ever hold secrets (a `tokenLifetime` is fine, a `token` is not). */
const SECRET_KEY = /(^|[._-])(password|passwd|secret|token|accesskey|secretkey|apikey|privatekey)$/i;

export function assertNoSecrets(record: unknown): void {
  const found = findSecret(record, []);
  if (found !== undefined) {
    throw new AfpError(
      'invalid_input',
      `Refusing to store a secret in the environment inventory (${found.why}); secrets stay in the cluster or the token vault.`,
      {
        field: fieldPath(found.path),
      },
    );
  }
}

function findSecret(value: unknown, path: PropertyKey[]): { path: PropertyKey[]; why: string } | undefined {
  if (typeof value === 'string') {
    if (JWT.test(value)) return { path, why: 'it looks like a JWT' };
    if (PRIVATE_KEY.test(value)) return { path, why: 'it holds a private key' };
    if (BEARER.test(value)) return { path, why: 'it holds a bearer token' };
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecret(item, [...path, index]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (
        path.at(-1) === 'values' &&
        typeof item === 'string' &&
        item !== '' &&
        SECRET_KEY.test(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))
      ) {
        return { path: [...path, key], why: `a value named "${key}" is a secret` };
      }
      const found = findSecret(item, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
