/**
 * Tokens for a test user in one call: the authorization code flow with PKCE
 * through the IdP's login form (form-sign-in.ts), as the desktop app does it.
 * For tests that need a signed-in user but do not test signing in.
 */
import * as oidc from 'openid-client';
import { caFetch } from './ca-fetch';
import { LOOPBACK_REDIRECT } from './client';
import { signInWithForms, type Credentials } from './form-sign-in';

export interface SignInOptions {
  issuer: string;
  clientId: string;
  /** PEM of the CA that signed the IdP's certificate. */
  caPem: string;
  user: Credentials;
  /** Default 'openid offline_access' (a refresh token comes with it). */
  scope?: string;
}

export type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

export async function signIn(opts: SignInOptions): Promise<Tokens> {
  const fetch = caFetch(opts.caPem);
  const config = await oidc.discovery(new URL(opts.issuer), opts.clientId, undefined, oidc.None(), { [oidc.customFetch]: fetch });
  config[oidc.customFetch] = fetch;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const redirect = new URL(LOOPBACK_REDIRECT);
  redirect.port = String(49152 + Math.floor(Math.random() * 16000));
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirect.href,
    scope: opts.scope ?? 'openid offline_access',
    // OIDC Core §11: offline_access is honoured only with prompt=consent.
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const result = await signInWithForms(url.href, opts.user, fetch);
  if (result.redirect === undefined)
    throw new Error(`sign-in of ${opts.user.username} stopped at the IdP (HTTP ${result.status}): ${result.pageText ?? ''}`);
  return oidc.authorizationCodeGrant(config, result.redirect, { pkceCodeVerifier: verifier, expectedState: state });
}
