/**
 * Sign-in without a browser on this machine: the device authorization grant
 * (RFC 8628). The user opens the provider's page anywhere and types the code;
 * polling keeps to the provider's `interval` and slows down by 5 s at each
 * `slow_down` (openid-client's polling does both), until the code expires.
 */
import * as oidc from 'openid-client';
import { AfpError } from '../../errors';
import { authFailure } from '../auth-errors';
import type { Provider } from '../provider';

export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Local clock, ms. */
  expiresAt: number;
}

export interface DeviceSignInOptions {
  /** Shows the code and the page to the user (GUI event, CLI output). */
  onPrompt(prompt: DevicePrompt): void;
  signal: AbortSignal;
  now?: () => number;
}

export async function signInWithDevice(
  provider: Provider,
  options: DeviceSignInOptions,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const now = options.now ?? Date.now;
  if (typeof provider.config.serverMetadata().device_authorization_endpoint !== 'string') {
    throw new AfpError(
      'unsupported',
      'This identity provider offers no device sign-in (no device_authorization_endpoint); sign in with the browser.',
    );
  }
  let device: oidc.DeviceAuthorizationResponse;
  try {
    device = await oidc.initiateDeviceAuthorization(provider.config, { scope: provider.scopes.join(' ') });
  } catch (error) {
    throw authFailure(error, provider.context('device'));
  }
  const prompt: DevicePrompt = {
    userCode: device.user_code,
    verificationUri: device.verification_uri,
    expiresAt: now() + device.expires_in * 1000,
  };
  if (device.verification_uri_complete !== undefined) prompt.verificationUriComplete = device.verification_uri_complete;
  options.onPrompt(prompt);

  const expiry = AbortSignal.timeout(device.expires_in * 1000);
  try {
    return await oidc.pollDeviceAuthorizationGrant(provider.config, device, undefined, {
      signal: AbortSignal.any([options.signal, expiry]),
    });
  } catch (error) {
    if (expiry.aborted && !options.signal.aborted)
      throw new AfpError('timeout', 'The device code expired before it was confirmed; start again.');
    if (options.signal.aborted) throw new AfpError('cancelled', 'The sign-in was cancelled.');
    throw authFailure(error, provider.context('device'));
  }
}
