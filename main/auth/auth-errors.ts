/**
 * Every failure of a talk with the identity provider, in plain words: which
 * provider, what went wrong, what to do. Messages pass through `redact`, so a
 * token echoed by a provider or a library never reaches a log or the screen.
 */
import { AuthorizationResponseError, ResponseBodyError } from 'openid-client';
import { AfpError, type ErrorCode } from '../errors';
import { redact } from '../log';

export type AuthStep = 'discovery' | 'sign-in' | 'device' | 'refresh' | 'revoke' | 'userinfo';

export interface AuthErrorContext {
  step: AuthStep;
  issuer: string;
  clientId: string;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the name could not be resolved',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'no answer in time',
};

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
]);

/** Clock difference with the provider accepted in ID token checks (openid-client's clockTolerance). */
export const CLOCK_TOLERANCE_SECONDS = 120;
const CLOCK_TOLERANCE_MINUTES = CLOCK_TOLERANCE_SECONDS / 60;

export const REFRESH_REJECTED = 'Your sign-in has expired or was revoked at the identity provider; sign in again.';

function fail(code: ErrorCode, message: string, cause: unknown): AfpError {
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return new AfpError(code, redact(sentence), { cause });
}

/** The chain of causes, outermost first, for codes buried in library wrappers. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

function codeOf(value: unknown): string | undefined {
  const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function providerName(context: AuthErrorContext): string {
  try {
    return new URL(context.issuer).host;
  } catch {
    return context.issuer;
  }
}

function describeOAuthError(error: string, description: string | undefined): string {
  return description === undefined || description === '' ? error : `${error}: ${description}`;
}

export function isAbort(error: unknown): boolean {
  return causes(error).some((e) => e instanceof Error && (e.name === 'AbortError' || codeOf(e) === 'OAUTH_ABORT'));
}

/** Maps anything an IdP exchange threw to an AfpError a user can act on. */
export function authFailure(error: unknown, context: AuthErrorContext): AfpError {
  if (error instanceof AfpError) return error.message === redact(error.message) ? error : fail(error.code, error.message, error);
  const who = `the identity provider ${providerName(context)}`;
  const chain = causes(error);

  for (const link of chain) {
    if (link instanceof ResponseBodyError) return fromResponseBody(link, context, who);
    if (link instanceof AuthorizationResponseError) {
      if (link.error === 'access_denied')
        return fail('cancelled', 'The sign-in was cancelled or refused in the browser; nothing was stored.', error);
      return fail('unauthorized', `${who} refused the sign-in (${describeOAuthError(link.error, link.error_description)}).`, error);
    }
  }
  for (const link of chain) {
    const code = codeOf(link);
    if (code !== undefined && code in NETWORK_CODES) {
      return fail('unavailable', `Cannot reach ${who} at ${context.issuer}: ${NETWORK_CODES[code]} (${code}).`, error);
    }
    if (code !== undefined && TLS_CODES.has(code)) {
      return fail(
        'unavailable',
        `Cannot trust ${who}: its certificate does not verify (${code}). If the site uses its own CA, give its PEM file: auth.caFile in the site profile, or afp login --ca-file FILE.`,
        error,
      );
    }
    if (link instanceof Response) return fromStatus(link.status, context, who, error);
  }
  if (isAbort(error)) return fail('cancelled', 'The sign-in was cancelled.', error);
  if (chain.some((link) => codeOf(link) === 'OAUTH_TIMEOUT' || (link instanceof Error && link.name === 'TimeoutError'))) {
    return fail('timeout', `${who} did not answer in time.`, error);
  }
  const clientCode = codeOf(error);
  if (clientCode === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    return fail(
      'unauthorized',
      `The clocks of this computer and of ${who} differ by more than ${CLOCK_TOLERANCE_MINUTES} minutes (a token looks expired or not yet valid): check this computer's date and time, then sign in again.`,
      error,
    );
  }
  if (clientCode === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && context.step === 'discovery') {
    return fail(
      'invalid_input',
      `${context.issuer} is not the issuer its discovery document names: check the issuer URL (exactly as the provider spells it).`,
      error,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const detail = chain.length > 1 && chain[1] instanceof Error ? ` (${chain[1].message})` : '';
  return fail('unavailable', `${stepText(context.step)} with ${who} failed: ${message}${detail}.`, error);
}

function stepText(step: AuthStep): string {
  switch (step) {
    case 'discovery':
      return 'Reading the provider configuration';
    case 'sign-in':
      return 'Signing in';
    case 'device':
      return 'Signing in with a device code';
    case 'refresh':
      return 'Renewing the sign-in';
    case 'revoke':
      return 'Revoking the sign-in';
    case 'userinfo':
      return 'Reading the user profile';
  }
}

function fromStatus(status: number, context: AuthErrorContext, who: string, cause: unknown): AfpError {
  if (context.step === 'discovery' && status === 404) {
    return fail(
      'invalid_input',
      `${context.issuer} has no OpenID configuration (HTTP 404 at /.well-known/openid-configuration): check the issuer URL.`,
      cause,
    );
  }
  if (status >= 500)
    return fail('unavailable', `${who} failed while ${stepText(context.step).toLowerCase()} (HTTP ${status}); try again later.`, cause);
  return fail('unavailable', `${who} answered HTTP ${status} while ${stepText(context.step).toLowerCase()}.`, cause);
}

function fromResponseBody(error: ResponseBodyError, context: AuthErrorContext, who: string): AfpError {
  const what = describeOAuthError(error.error, error.error_description);
  switch (error.error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return fail(
        'invalid_input',
        `${who} does not accept the client id "${context.clientId}" (${what}). Check the client id in the site profile or --client-id.`,
        error,
      );
    case 'invalid_grant':
      if (context.step === 'refresh') return fail('unauthorized', REFRESH_REJECTED, error);
      return fail('unauthorized', `${who} refused the sign-in (${what}); start again.`, error);
    case 'access_denied':
      return fail('cancelled', "The sign-in was refused or cancelled on the provider's page; nothing was stored.", error);
    case 'expired_token':
      return fail('timeout', 'The device code expired before it was confirmed; start again.', error);
    case 'invalid_scope':
      return fail('invalid_input', `${who} does not allow the requested scopes (${what}). Check the scopes in the site profile.`, error);
    default:
      if (error.status >= 500)
        return fail(
          'unavailable',
          `${who} failed while ${stepText(context.step).toLowerCase()} (HTTP ${error.status}, ${what}); try again later.`,
          error,
        );
      return fail('unauthorized', `${who} refused: ${what} (HTTP ${error.status}).`, error);
  }
}
