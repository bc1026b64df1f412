/**
 * The bearer check of the real dispatcher (FastAPI's HTTPBearer, then flaat in
 * AUTHN_MODE=local): no or non-Bearer header → 403; a JWT from an untrusted
 * issuer, with a bad signature or expired → 403 with flaat's error object.
 * Like flaat, the audience is not checked, and a token that is not a JWT at
 * all is let through (flaat finds no user info and raises nothing); IM then
 * judges it.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { FetchLike } from '../idp/ca-fetch';

export type AuthResult = { ok: true; token: string } | { ok: false; status: 403; detail: unknown };

export class BearerAuthenticator {
  private readonly keySets = new Map<string, Promise<ReturnType<typeof createLocalJWKSet>>>();

  constructor(
    private readonly trustedIssuers: string[],
    private readonly fetch: FetchLike,
  ) {}

  async check(authorization: string | undefined): Promise<AuthResult> {
    if (authorization === undefined || authorization === '') return { ok: false, status: 403, detail: 'Not authenticated' };
    const [scheme = '', token = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'bearer' || token === '') return { ok: false, status: 403, detail: 'Invalid authentication credentials' };

    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return { ok: true, token };
    }
    if (typeof issuer !== 'string') return unauthenticated("Could not verify JWT: No 'iss' claim in body");
    if (!this.trustedIssuers.includes(issuer.replace(/\/+$/, ''))) return unauthenticated(`Issuer is not trusted: ${issuer}`);
    try {
      await jwtVerify(token, await this.keySet(issuer), { issuer });
      return { ok: true, token };
    } catch (error) {
      this.keySets.delete(issuer);
      return unauthenticated(`Could not verify JWT: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private keySet(issuer: string): Promise<ReturnType<typeof createLocalJWKSet>> {
    let keySet = this.keySets.get(issuer);
    if (keySet === undefined) {
      keySet = (async () => {
        const discovery = (await (await this.fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`)).json()) as {
          jwks_uri?: string;
        };
        if (discovery.jwks_uri === undefined) throw new Error('Issuer config has no jwks_uri');
        return createLocalJWKSet((await (await this.fetch(discovery.jwks_uri)).json()) as JSONWebKeySet);
      })();
      this.keySets.set(issuer, keySet);
    }
    return keySet;
  }
}

function unauthenticated(description: string): AuthResult {
  return { ok: false, status: 403, detail: { error: 'Unauthenticated', error_description: description } };
}
