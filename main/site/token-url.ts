/**
 * The one rule for every URL the user's token is sent to (the issuer, IM, the
 * dispatcher, IM as the dispatcher reaches it, the cluster IM is told to use):
 * https, so the token never crosses a network in clear; plain http only to a
 * loopback address (a local test bed or demo, where nothing leaves the host).
 */
import { AfpError } from '../errors';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const TOKEN_URL_RULE = 'must use https (plain http is accepted only for 127.0.0.1 / localhost)';

/** True when `value` may receive a token; text that is no URL is someone else's error (false here only for http off loopback). */
export function isSecureTokenUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url === undefined || url.protocol !== 'http:' || LOOPBACK_HOSTS.has(url.hostname);
}

/** Throws before anything is sent when `value` would carry the token in clear; `what` names it ("IM's URL"). */
export function requireSecureTokenUrl(value: string, what: string, field?: string): void {
  if (!isSecureTokenUrl(value))
    throw new AfpError('invalid_input', `${what} ${TOKEN_URL_RULE}, not ${value}: the sign-in token would travel unencrypted.`, {
      field,
    });
}
