/**
 * The signed-in session: holds the tokens (main process only), hands out a
 * valid access token, renews it before expiry with one refresh at a time,
 * and falls back to a clear "sign in again" state when the provider refuses
 * the refresh token. Implements the kube target's SessionTokenSource.
 */
import * as oidc from 'openid-client';
import type { AuthUser } from '../contract/auth';
import { AfpError, toApiError, type ApiErrorShape } from '../errors';
import { createLogger, type Logger } from '../log';
import type { SessionTokenSource } from '../kube/session-auth';
import { authFailure, REFRESH_REJECTED } from './auth-errors';
import { signInWithBrowser } from './sign-in/browser-flow';
import { signInWithDevice } from './sign-in/device-flow';
import { requireGroups } from './groups';
import type { Claims } from './identity';
import { ProviderCache, revokeRefreshToken, type Provider } from './provider';
import { RenewalTimer } from './renewal-timer';
import type { AuthSessionOptions, AuthState, SessionStatus, SignInHow } from './session-types';
import { isUnauthorized, isInvalidGrant } from './refusals';
import { sameProvider, type AuthSettings } from './settings';
import { userAfterRefresh, userFromSignIn } from './session-user';
import { isFresh, refreshDueAt, tokensFrom, type Tokens } from './tokens';
import { settingsOfRecord, vaultRecordFor, type VaultRecord } from './vault';

export type { AuthSessionOptions, AuthState, SessionStatus, SignInHow } from './session-types';

interface Current {
  settings: AuthSettings;
  tokens: Tokens;
  user: AuthUser;
}

const RETRY_AFTER_FAILURE_MS = 30_000;

export class AuthSession implements SessionTokenSource {
  /** Settles once the vault has been read. */
  readonly ready: Promise<void>;
  private current: Current | undefined;
  private lost: { settings: AuthSettings; user: AuthUser } | undefined;
  private error: ApiErrorShape | undefined;
  private signingIn = 0;
  /** Bumped by every sign-in and sign-out, so a refresh that started before one cannot overwrite it. */
  private generation = 0;
  private refreshing: Promise<Tokens> | undefined;
  private readonly providers = new ProviderCache();
  private readonly listeners = new Set<() => void>();
  private readonly timer = new RenewalTimer();
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly options: AuthSessionOptions) {
    this.log = options.log ?? createLogger();
    this.now = options.now ?? Date.now;
    this.ready = this.restore();
  }

  status(): SessionStatus {
    const { vault } = this.options;
    const mismatch = this.current === undefined ? undefined : this.otherProvider(this.current);
    const status: SessionStatus = {
      state: this.signingIn > 0 ? 'signing-in' : mismatch === undefined ? this.stateNow() : 'needs-login',
      persistent: vault.persistent,
    };
    const settings = this.current?.settings ?? this.lost?.settings;
    const user = this.current?.user ?? this.lost?.user;
    if (settings !== undefined) status.settings = settings;
    if (user !== undefined) status.user = user;
    if (this.current !== undefined && this.current.tokens.expiresAt > 0) status.expiresAt = this.current.tokens.expiresAt;
    if (this.error !== undefined) status.error = this.error;
    else if (mismatch !== undefined) status.error = { code: 'unauthorized', message: mismatch };
    if (vault.notice !== undefined) status.notice = vault.notice;
    return status;
  }

  /** Called after every change of state, user or expiry. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signs in; the session changes only when everything succeeded (no partial session). */
  async signIn(settings: AuthSettings, how: SignInHow, signal: AbortSignal): Promise<AuthUser> {
    await this.ready;
    this.signingIn++;
    this.error = undefined;
    this.changed();
    try {
      const provider = await this.provider(settings);
      let next: Current | undefined;
      const accept = async (response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<void> => {
        next = await this.sessionFrom(provider, response);
        await this.commit(next);
      };
      if (how.method === 'browser') {
        await signInWithBrowser(provider, {
          open: how.open,
          ...(how.onUrl === undefined ? {} : { onUrl: how.onUrl }),
          ...(how.timeoutMs === undefined ? {} : { timeoutMs: how.timeoutMs }),
          signal,
          accept,
        });
      } else {
        await accept(await signInWithDevice(provider, { onPrompt: how.onPrompt, signal, now: this.now }));
      }
      if (next === undefined) throw new AfpError('internal', 'The sign-in ended without a session.');
      this.log.info(`signed in as ${next.user.username} at ${settings.issuer}`);
      return next.user;
    } catch (error) {
      const failure = authFailure(error, {
        step: how.method === 'device' ? 'device' : 'sign-in',
        issuer: settings.issuer,
        clientId: settings.clientId,
      });
      this.error = toApiError(failure);
      throw failure;
    } finally {
      this.signingIn--;
      this.changed();
    }
  }

  /** A valid access token, renewed first when it is due (SessionTokenSource). */
  async accessToken(): Promise<string> {
    await this.ready;
    const current = this.requireCurrent();
    const mismatch = this.otherProvider(current);
    if (mismatch !== undefined) throw new AfpError('unauthorized', mismatch);
    if (isFresh(current.tokens, this.now())) return current.tokens.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** Renews now; concurrent callers share the one request under way. */
  refresh(): Promise<Tokens> {
    this.refreshing ??= this.runRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Runs `call` with a valid token; when the server answers 401 (a token it
   * considers expired or revoked), renews once and retries once. A second 401
   * is the caller's to report: never a loop.
   */
  async withFreshToken<T>(call: (token: string) => Promise<T>, unauthorized: (error: unknown) => boolean = isUnauthorized): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!unauthorized(error)) throw error;
      // Another caller may have renewed already: only renew when the refused token is still the one we hold.
      if (this.current?.tokens.accessToken === token) await this.refresh();
      return call(await this.accessToken());
    }
  }

  /** Refuses before anything is called when the user holds none of `required`. */
  requireGroups(required: readonly string[], purpose?: string): void {
    requireGroups(this.current?.user, required, purpose);
  }

  /** Forgets the sign-in here and revokes its refresh token at the provider where it allows. */
  async signOut(): Promise<{ revoked: boolean; notice?: string }> {
    await this.ready;
    const previous = this.current;
    this.generation++;
    this.current = undefined;
    this.lost = undefined;
    this.error = undefined;
    this.timer.clear();
    const notices: string[] = [];
    try {
      await this.options.vault.clear();
    } catch (error) {
      notices.push(`The token vault could not be cleared: ${toApiError(error).message}`);
    }
    this.changed();
    const refreshToken = previous?.tokens.refreshToken;
    if (previous === undefined || refreshToken === undefined)
      return notices.length > 0 ? { revoked: false, notice: notices.join(' ') } : { revoked: false };
    let revoked = false;
    try {
      revoked = await revokeRefreshToken(await this.provider(previous.settings), refreshToken);
      if (!revoked) notices.push('The identity provider offers no revocation; the sign-in ends here, and at the provider when it expires.');
    } catch (error) {
      const failure = authFailure(error, { step: 'revoke', issuer: previous.settings.issuer, clientId: previous.settings.clientId });
      notices.push(`Signed out here, but the identity provider could not be told: ${failure.message}`);
    }
    this.log.info(`signed out${revoked ? ' (refresh token revoked)' : ''}`);
    return notices.length > 0 ? { revoked, notice: notices.join(' ') } : { revoked };
  }

  dispose(): void {
    this.timer.clear();
    this.listeners.clear();
  }

  /** Why the session may not be used for the provider the profile names now, or undefined when it may. */
  private otherProvider(current: Current): string | undefined {
    const expected = this.options.expected?.();
    if (expected === undefined || sameProvider(expected, current.settings)) return undefined;
    return `You are signed in at ${current.settings.issuer}, but the site profile now uses ${expected.issuer}: sign in again there.`;
  }

  private stateNow(): AuthState {
    if (this.current !== undefined) return 'signed-in';
    return this.lost === undefined ? 'signed-out' : 'needs-login';
  }

  private requireCurrent(): Current {
    if (this.current !== undefined) return this.current;
    if (this.lost !== undefined) throw new AfpError('unauthorized', this.error?.message ?? REFRESH_REJECTED);
    throw new AfpError('unauthorized', 'Not signed in: sign in first (afp login, or Sign in in the app).');
  }

  private async restore(): Promise<void> {
    let record: VaultRecord | undefined;
    try {
      record = await this.options.vault.load();
    } catch (error) {
      this.error = toApiError(error);
      return;
    }
    if (record === undefined) return;
    // No access token is ever stored: the first use renews it.
    this.current = {
      settings: settingsOfRecord(record),
      user: record.user,
      tokens: { accessToken: '', refreshToken: record.refreshToken, receivedAt: 0, expiresAt: 0 },
    };
    this.schedule(0);
  }

  private provider(settings: AuthSettings): Promise<Provider> {
    return this.providers.get(settings, this.options.fetch === undefined ? {} : { fetch: this.options.fetch });
  }

  private async sessionFrom(
    provider: Provider,
    response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
  ): Promise<Current> {
    const tokens = tokensFrom(response, this.now());
    const user = await userFromSignIn(provider, response.claims(), tokens.accessToken, this.log);
    return { settings: { ...provider.settings, scopes: provider.scopes }, tokens, user };
  }

  /** Makes `next` the session: vault first, so a failure to store leaves the old session untouched. */
  private async commit(next: Current): Promise<void> {
    if (next.tokens.refreshToken !== undefined)
      await this.options.vault.save(vaultRecordFor(next.settings, next.tokens.refreshToken, next.user, this.now()));
    else await this.options.vault.clear();
    this.generation++;
    this.current = next;
    this.lost = undefined;
    this.error = undefined;
    this.schedule(refreshDueAt(next.tokens) - this.now());
  }

  private async runRefresh(): Promise<Tokens> {
    await this.ready;
    const current = this.requireCurrent();
    const generation = this.generation;
    if (current.tokens.refreshToken === undefined) {
      this.lose(current, 'Your sign-in has expired and the identity provider gave no refresh token (offline_access); sign in again.');
      throw new AfpError('unauthorized', this.error?.message ?? REFRESH_REJECTED);
    }
    const provider = await this.provider(current.settings);
    let tokens: Tokens;
    let claims: Claims | undefined;
    try {
      tokens = await this.options.vault.exclusive(async () => {
        const refreshToken = (await this.storedRefreshToken(current)) ?? current.tokens.refreshToken ?? '';
        // Lifetimes count from when the request left, so a slow answer cannot make us renew late.
        const sentAt = this.now();
        const response = await oidc.refreshTokenGrant(provider.config, refreshToken);
        claims = response.claims();
        const renewed = tokensFrom(response, sentAt, { ...current.tokens, refreshToken });
        if (generation === this.generation && renewed.refreshToken !== refreshToken)
          await this.options.vault.save(vaultRecordFor(current.settings, renewed.refreshToken ?? refreshToken, current.user, this.now()));
        return renewed;
      });
    } catch (error) {
      const failure = authFailure(error, provider.context('refresh'));
      if (generation === this.generation && isInvalidGrant(error)) {
        this.lose(current, failure.message);
        await this.options.vault.clear().catch(() => undefined);
      }
      throw failure;
    }
    if (generation !== this.generation || this.current === undefined)
      throw new AfpError('cancelled', 'The sign-in changed while it was being renewed; try again.');
    const user = userAfterRefresh(current.user, claims, current.settings.groupsClaim);
    this.current = { ...current, tokens, user };
    this.error = undefined;
    this.schedule(refreshDueAt(tokens) - this.now());
    this.changed();
    return tokens;
  }

  /** The refresh token another process may have rotated in the vault since we read it. */
  private async storedRefreshToken(current: Current): Promise<string | undefined> {
    const stored = await this.options.vault.load().catch(() => undefined);
    if (stored === undefined || !sameProvider(stored, current.settings) || stored.user.subject !== current.user.subject) return undefined;
    return stored.refreshToken;
  }

  private lose(current: Current, message: string): void {
    this.generation++;
    this.current = undefined;
    this.lost = { settings: current.settings, user: current.user };
    this.error = { code: 'unauthorized', message };
    this.timer.clear();
    this.log.warn(`sign-in lost: ${message}`);
    this.changed();
  }

  private schedule(delayMs: number): void {
    this.timer.clear();
    if (this.options.keepFresh !== true) return;
    this.timer.schedule(delayMs, () => {
      this.refresh().catch((error: unknown) => {
        if (this.current !== undefined && !isInvalidGrant(error)) this.schedule(RETRY_AFTER_FAILURE_MS);
        this.log.warn('background renewal failed', error);
      });
    });
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.log.error('auth change listener failed', error);
      }
    }
  }
}
