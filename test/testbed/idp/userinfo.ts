/**
 * Userinfo for our JWT access tokens. oidc-provider's own userinfo endpoint
 * only takes opaque tokens issued for it, but the identity providers this
 * product meets (INDIGO IAM, EGI Check-in, Keycloak) answer userinfo for the
 * very JWT access token a client holds, and IM relies on that: it calls
 * userinfo with the token it was given. Opaque tokens still go to oidc-provider.
 */
import type { Middleware } from 'koa';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWK } from 'jose';
import { findUser, userClaims } from './users';

const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);

export function publicJwks(privateKeys: Record<string, unknown>[]): JSONWebKeySet {
  const keys = privateKeys.map((key) => Object.fromEntries(Object.entries(key).filter(([name]) => !PRIVATE_MEMBERS.has(name))) as JWK);
  return { keys };
}

export function jwtUserinfo(opts: { path: string; issuer: string; audience: string; jwks: JSONWebKeySet }): Middleware {
  const keySet = createLocalJWKSet(opts.jwks);
  return async (ctx, next) => {
    if (ctx.path !== opts.path || (ctx.method !== 'GET' && ctx.method !== 'POST')) {
      await next();
      return;
    }
    const header = ctx.get('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (token === undefined || token.split('.').length !== 3) {
      await next();
      return;
    }
    ctx.set('cache-control', 'no-store');
    try {
      const { payload } = await jwtVerify(token, keySet, { issuer: opts.issuer, audience: opts.audience, typ: 'at+jwt' });
      const user = typeof payload.sub === 'string' ? findUser(payload.sub) : undefined;
      if (user === undefined) throw new Error('unknown subject');
      ctx.body = userClaims(user);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.status = 401;
      ctx.set('www-authenticate', `Bearer error="invalid_token", error_description="${reason.replace(/["\\]/g, '')}"`);
      ctx.body = { error: 'invalid_token', error_description: reason };
    }
  };
}
