/**
 * Sign-in through the system browser (RFC 8252): authorization code with
 * PKCE S256 (RFC 7636), `state` and `nonce`, redirect to a loopback listener
 * on an ephemeral port. The flow ends at the first return to the listener,
 * and only a response carrying our `state` is exchanged for tokens.
 */
import * as oidc from 'openid-client';
import { AfpError } from '../../errors';
import { authFailure } from '../auth-errors';
import { listenForCallback } from './loopback';
import type { Provider } from '../provider';

export const BROWSER_TIMEOUT_MS = 5 * 60_000;

export interface BrowserSignInOptions {
  /** Asks the system browser to open the URL; false when none could be opened (the URL is then shown to copy). */
  open(url: string): Promise<boolean>;
  /** Told the authorization URL before the browser opens, so a CLI or page can show it. */
  onUrl?(url: string, opened: boolean): void;
  signal: AbortSignal;
  timeoutMs?: number;
  /** Turns the token answer into the app's session before the browser tab is told the outcome. */
  accept(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<void>;
}

export async function signInWithBrowser(provider: Provider, options: BrowserSignInOptions): Promise<void> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const listener = await listenForCallback();
  const timeoutMs = options.timeoutMs ?? BROWSER_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    const parameters: Record<string, string> = {
      redirect_uri: listener.redirectUri,
      scope: provider.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    // OpenID Connect Core §11: offline_access needs prompt=consent unless the provider has other grounds.
    if (provider.scopes.includes('offline_access')) parameters.prompt = 'consent';
    const url = oidc.buildAuthorizationUrl(provider.config, parameters);
    await checkAuthorizationRequest(provider, url, listener.redirectUri);

    const opened = await options.open(url.href);
    options.onUrl?.(url.href, opened);
    const callback = await listener.next(signal).catch((error: unknown) => {
      if (timeout.aborted)
        throw new AfpError(
          'timeout',
          `No answer from the browser within ${Math.round(timeoutMs / 60_000)} minutes; start the sign-in again.`,
        );
      throw error instanceof AfpError ? error : new AfpError('cancelled', 'The sign-in was cancelled.');
    });

    const returned = callback.url.searchParams;
    if (returned.get('state') !== state) {
      const reason = 'The browser came back with a response that does not belong to this sign-in (state mismatch).';
      callback.reply({ ok: false, reason });
      throw new AfpError('unauthorized', `${reason} Nothing was stored; start the sign-in again.`);
    }
    try {
      const response = await oidc.authorizationCodeGrant(provider.config, callback.url, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      await options.accept(response);
    } catch (error) {
      const failure = authFailure(error, provider.context('sign-in'));
      callback.reply({ ok: false, reason: failure.message });
      throw failure;
    }
    callback.reply({ ok: true });
  } finally {
    await listener.close();
  }
}

/**
 * Asks for the authorization URL without following it, as the browser will:
 * an unknown client id or a refused scope shows at once, as a message in the
 * app, instead of as an error page in a browser tab while the app waits.
 */
async function checkAuthorizationRequest(provider: Provider, url: URL, redirectUri: string): Promise<void> {
  let response: Response;
  try {
    response = await provider.fetch(url, { method: 'GET', redirect: 'manual', headers: { accept: 'text/html' } });
    await response.body?.cancel();
  } catch (error) {
    throw authFailure(error, provider.context('sign-in'));
  }
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location !== null) {
    const target = new URL(location, url);
    if (target.href.startsWith(redirectUri) && target.searchParams.has('error')) {
      const error = target.searchParams.get('error') ?? 'error';
      const description = target.searchParams.get('error_description');
      const what = description === null ? error : `${error}: ${description}`;
      throw new AfpError(
        error === 'invalid_scope' ? 'invalid_input' : 'unauthorized',
        `The identity provider refused the sign-in request (${what}).`,
      );
    }
    return;
  }
  if (response.status >= 500) throw authFailure(response, provider.context('sign-in'));
  if (response.status >= 400) {
    throw new AfpError(
      'invalid_input',
      `The identity provider refused the sign-in request (HTTP ${response.status}); most often the client id "${provider.settings.clientId}" is not registered there, or not for a loopback redirect.`,
      { field: 'clientId' },
    );
  }
}
