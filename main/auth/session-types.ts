/** The session's public shapes: its state, how a sign-in is driven, its options. */
import type { AuthUser, SignInMethod } from '../contract/auth';
import type { ApiErrorShape } from '../errors';
import type { Logger } from '../log';
import type { FetchLike } from './fetch';
import type { DevicePrompt } from './sign-in/device-flow';
import type { AuthSettings } from './settings';
import type { TokenVault } from './vault';

export type AuthState = 'signed-out' | 'signing-in' | 'signed-in' | 'needs-login';

export interface SessionStatus {
  state: AuthState;
  /** The provider of the current (or lost) sign-in. */
  settings?: AuthSettings;
  user?: AuthUser;
  /** Local clock, ms; absent until the first access token of a restored session. */
  expiresAt?: number;
  error?: ApiErrorShape;
  persistent: boolean;
  notice?: string;
}

export type SignInHow =
  | {
      method: Extract<SignInMethod, 'browser'>;
      open: (url: string) => Promise<boolean>;
      onUrl?: (url: string, opened: boolean) => void;
      timeoutMs?: number;
    }
  | { method: Extract<SignInMethod, 'device'>; onPrompt: (prompt: DevicePrompt) => void };

export interface AuthSessionOptions {
  vault: TokenVault;
  log?: Logger;
  /** Replaces the CA-aware fetch for every provider request (tests count or divert requests with it). */
  fetch?: FetchLike;
  now?: () => number;
  /** Renew in the background before expiry (the app); the CLI renews on demand only. */
  keepFresh?: boolean;
  /**
   * The provider the site profile names now. A session from another provider
   * is kept (switching back resumes it) but hands out no token: a token of
   * one site's IdP must never reach another site's servers.
   */
  expected?: () => Pick<AuthSettings, 'issuer' | 'clientId'> | undefined;
}
