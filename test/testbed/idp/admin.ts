/**
 * A test-only endpoint, guarded by a per-start secret, that changes token
 * lifetimes without a restart (e.g. 5-second access tokens for refresh tests).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { tokenTtlsSchema, type TokenTtls } from './config';

export const ADMIN_TTL_PATH = '/__testbed/ttl';

export function adminRoutes(adminToken: string, ttl: TokenTtls): Middleware {
  const expected = Buffer.from(`Bearer ${adminToken}`);
  return async (ctx, next) => {
    if (ctx.path !== ADMIN_TTL_PATH) {
      await next();
      return;
    }
    const given = Buffer.from(ctx.get('authorization'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      ctx.status = 401;
      return;
    }
    if (ctx.method === 'PUT') {
      let text = '';
      for await (const chunk of ctx.req) text += (chunk as Buffer).toString('utf8');
      const parsed = tokenTtlsSchema.partial().safeParse(JSON.parse(text));
      if (!parsed.success) {
        ctx.status = 400;
        ctx.body = { error: parsed.error.issues[0]?.message ?? 'invalid' };
        return;
      }
      Object.assign(ttl, parsed.data);
    }
    ctx.body = ttl;
  };
}
