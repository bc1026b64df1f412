/**
 * The oidc-provider configuration of the test IdP: one public native client
 * (PKCE S256, loopback redirect on any port as RFC 8252 §7.3 asks, device
 * grant, refresh tokens) and a confidential one for hubs, RS256 JWT access tokens whose audience is the client
 * id (what kube-apiserver's --oidc-client-id and IM's OIDC_AUDIENCE check),
 * and `groups` in ID tokens, access tokens and userinfo.
 */
import Provider, { errors, type Configuration } from 'oidc-provider';
import { DEVICE_GRANT, HUB_REDIRECT, IDP_HUB_CLIENT_ID, LOOPBACK_REDIRECT } from './client';
import type { IdpServerConfig, TokenTtls } from './config';
import { deviceConfirmPage, deviceInputPage, errorPage, logoutPage, messagePage } from './pages';
import { findUser, userClaims } from './users';

/** `ttl` is read at every issue, so changing it changes the next tokens' lifetimes. */
export function buildProvider(issuer: string, config: IdpServerConfig, ttl: TokenTtls): Provider {
  const configuration: Configuration = {
    clients: [
      {
        client_id: config.clientId,
        client_name: 'AF Provisioner',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
        response_types: ['code'],
        redirect_uris: [LOOPBACK_REDIRECT],
        post_logout_redirect_uris: ['http://127.0.0.1/signed-out'],
      },
      {
        // OAuthenticator as a site registers it for hubs: the code flow with a client secret in the form (its default).
        client_id: IDP_HUB_CLIENT_ID,
        client_secret: config.hubClientSecret,
        client_name: 'JupyterHub',
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [HUB_REDIRECT],
      },
    ],
    jwks: { keys: config.jwks },
    cookies: { keys: config.cookieKeys },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    // User name and groups come with `openid` alone, so every client (kubectl, the app, IM) sees them without extra scopes.
    claims: {
      openid: ['sub', 'preferred_username', 'groups'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Claims in the ID token of the code flow too, not only at userinfo: kube-apiserver reads groups from the token.
    conformIdTokenClaims: false,
    findAccount(_ctx, sub) {
      const user = findUser(sub);
      if (user === undefined) return undefined;
      return { accountId: sub, claims: () => userClaims(user) };
    },
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource(ctx, form, _out, err) {
          ctx.type = 'html';
          ctx.body = deviceInputPage(form, err === undefined ? undefined : 'That code is not valid; check it and try again.');
        },
        userCodeConfirmSource(ctx, form, client, _deviceInfo, userCode) {
          ctx.type = 'html';
          ctx.body = deviceConfirmPage(form, client.clientName ?? client.clientId, userCode);
        },
        successSource(ctx) {
          ctx.type = 'html';
          ctx.body = messagePage('Device connected', 'You are signed in on your device; you can close this page.');
        },
      },
      revocation: { enabled: true },
      // IM reads introspection_endpoint from discovery before it calls userinfo; it must be advertised.
      introspection: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You are signed out.');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => config.resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== config.resource) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: 'afp',
            audience: config.clientId,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl.accessToken,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    formats: {
      customizers: {
        jwt(_ctx, token, parts) {
          const user = 'accountId' in token && typeof token.accountId === 'string' ? findUser(token.accountId) : undefined;
          if (user === undefined) return;
          const { preferred_username, name, email, groups } = userClaims(user);
          Object.assign(parts.payload, { preferred_username, name, email, groups });
        },
      },
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.accessToken,
      IdToken: () => ttl.idToken,
      RefreshToken: () => ttl.refreshToken,
      AuthorizationCode: 60,
      DeviceCode: 600,
      ClientCredentials: 600,
      BackchannelAuthenticationRequest: 600,
      Interaction: 3600,
      Session: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  };
  return new Provider(issuer, configuration);
}
