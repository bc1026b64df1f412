/**
 * The sign-in interaction: a username/password form, and consent granted
 * without a page (the desktop app is the site's own, first-party client, as
 * with an IdP configured not to ask). Cancel ends the flow with access_denied.
 */
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { findUser } from './users';
import { errorPage, loginPage } from './pages';

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;

export function interactionRoutes(provider: Provider): Middleware {
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (match === null) {
      await next();
      return;
    }
    const [, uid, action] = match;
    ctx.set('cache-control', 'no-store');
    const interaction = await provider.interactionDetails(ctx.req, ctx.res).catch(() => undefined);
    if (interaction === undefined || interaction.uid !== uid) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = errorPage({
        error: 'invalid_request',
        error_description: 'This sign-in has expired or was opened in another browser; start again.',
      });
      return;
    }
    const clientId = String(interaction.params.client_id);
    const client = await provider.Client.find(clientId);
    const clientName = client?.clientName ?? clientId;

    if (ctx.method === 'POST' && action === 'abort') {
      await finish(ctx, provider, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
      return;
    }
    if (ctx.method === 'POST' && action === 'login') {
      const form = await readForm(ctx.req);
      const username = form.get('username') ?? '';
      const user = findUser(username);
      if (user === undefined || user.password !== form.get('password')) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage(interaction.uid, clientName, 'Wrong username or password.', username);
        return;
      }
      await finish(ctx, provider, { login: { accountId: user.username } });
      return;
    }
    if (ctx.method !== 'GET' || action !== undefined) {
      await next();
      return;
    }

    if (interaction.prompt.name === 'login') {
      ctx.type = 'html';
      ctx.body = loginPage(interaction.uid, clientName);
      return;
    }
    if (interaction.prompt.name === 'consent') {
      const accountId = interaction.session?.accountId;
      if (accountId === undefined) throw new Error('consent prompt without a signed-in session');
      const grant =
        (interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)) ??
        new provider.Grant({ accountId, clientId });
      const details = interaction.prompt.details;
      const scopes = stringList(details.missingOIDCScope);
      if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
      const claims = stringList(details.missingOIDCClaims);
      if (claims.length > 0) grant.addOIDCClaims(claims);
      const resourceScopes = details.missingResourceScopes;
      if (typeof resourceScopes === 'object' && resourceScopes !== null) {
        for (const [indicator, wanted] of Object.entries(resourceScopes)) grant.addResourceScope(indicator, stringList(wanted).join(' '));
      }
      const grantId = await grant.save();
      await finish(ctx, provider, { consent: { grantId } }, true);
      return;
    }
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = errorPage({ error: 'invalid_request', error_description: `unexpected prompt ${interaction.prompt.name}` });
  };
}

async function finish(ctx: Parameters<Middleware>[0], provider: Provider, result: InteractionResults, merge = false): Promise<void> {
  const url = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  ctx.status = 303;
  ctx.redirect(url);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
