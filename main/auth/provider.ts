/**
 * One identity provider, discovered: openid-client's Configuration for a
 * public native client (no secret, RFC 8252), the fetch that trusts the
 * site's CA, and the scopes to ask for.
 */
import { readFile } from 'node:fs/promises';
import * as oidc from 'openid-client';
import { AfpError } from '../errors';
import { requireSecureTokenUrl } from '../site/token-url';
import { authFailure, CLOCK_TOLERANCE_SECONDS, type AuthErrorContext } from './auth-errors';
import { createAuthFetch, type FetchLike } from './fetch';
import { scopesToRequest, type AuthSettings } from './settings';

export interface Provider {
  settings: AuthSettings;
  config: oidc.Configuration;
  scopes: string[];
  fetch: FetchLike;
  context(step: AuthErrorContext['step']): AuthErrorContext;
  /** Where tokens can be revoked, when the provider says (RFC 7009). */
  canRevoke: boolean;
}

export interface DiscoverOptions {
  /** Replaces the CA-aware fetch (tests count or divert requests with it). */
  fetch?: FetchLike;
}

export async function discoverProvider(settings: AuthSettings, options: DiscoverOptions = {}): Promise<Provider> {
  const context = (step: AuthErrorContext['step']): AuthErrorContext => ({ step, issuer: settings.issuer, clientId: settings.clientId });
  let issuer: URL;
  try {
    issuer = new URL(settings.issuer);
  } catch {
    throw new AfpError(
      'invalid_input',
      `"${settings.issuer}" is not a URL; the issuer must look like https://login.example.org/realms/site.`,
      { field: 'issuer' },
    );
  }
  requireSecureTokenUrl(settings.issuer, 'The issuer', 'issuer');
  const insecure = issuer.protocol === 'http:';
  if (settings.clientId.trim() === '') throw new AfpError('invalid_input', 'The client id is empty.', { field: 'clientId' });
  const fetch = options.fetch ?? createAuthFetch(settings.caFile === undefined ? {} : { caPem: await readCa(settings.caFile) });

  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(issuer, settings.clientId, { [oidc.clockTolerance]: CLOCK_TOLERANCE_SECONDS }, oidc.None(), {
      [oidc.customFetch]: fetch,
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw authFailure(error, context('discovery'));
  }
  config[oidc.customFetch] = fetch;
  const metadata = config.serverMetadata();
  return {
    settings,
    config,
    scopes: scopesToRequest(settings, metadata.scopes_supported),
    fetch,
    context,
    canRevoke: typeof metadata.revocation_endpoint === 'string',
  };
}

async function readCa(file: string): Promise<string> {
  try {
    const pem = await readFile(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it');
    return pem;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new AfpError('invalid_input', `Cannot use the CA file: ${why}.`, { file, field: 'caFile' });
  }
}

/** Revokes a refresh token (RFC 7009); false when the provider offers no revocation endpoint. */
export async function revokeRefreshToken(provider: Provider, refreshToken: string): Promise<boolean> {
  if (!provider.canRevoke) return false;
  try {
    await oidc.tokenRevocation(provider.config, refreshToken, { token_type_hint: 'refresh_token' });
    return true;
  } catch (error) {
    throw authFailure(error, provider.context('revoke'));
  }
}

/** Discovery once per provider; a failed discovery is tried again next time, not remembered. */
export class ProviderCache {
  private readonly found = new Map<string, Promise<Provider>>();

  get(settings: AuthSettings, options: DiscoverOptions = {}): Promise<Provider> {
    const key = JSON.stringify([settings.issuer, settings.clientId, settings.scopes ?? null, settings.caFile ?? null]);
    let provider = this.found.get(key);
    if (provider === undefined) {
      provider = discoverProvider(settings, options);
      provider.catch(() => this.found.delete(key));
      this.found.set(key, provider);
    }
    return provider;
  }
}
