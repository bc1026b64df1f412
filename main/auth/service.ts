/**
 * Sign-in for the composition root (main/app.ts): the session over the
 * vault the shell chose, and the auth.* handlers wired to the event bus.
 */
import type { AuthEvent } from '../contract/auth';
import type { Logger } from '../log';
import type { FetchLike } from './fetch';
import { defaultVaultFile, FileVault } from './file-vault';
import { authHandlers, type AuthHandlers, type BrowserOpener } from './handlers';
import { AuthSession } from './session';
import type { AuthSettings } from './settings';
import type { TokenVault } from './vault';

export interface AuthAppOptions {
  /** The site's identity provider (from the site profile), or a function giving the one in force. */
  settings?: AuthSettings | (() => AuthSettings | undefined);
  /** The Electron shell passes a SafeStorageVault; elsewhere the file vault the CLI uses too. */
  vault?: TokenVault;
  /** Tests only: replaces the CA-aware fetch for provider requests. */
  fetch?: FetchLike;
}

export interface AuthService {
  session: AuthSession;
  handlers: AuthHandlers;
  dispose(): void;
}

export function createAuth(options: AuthAppOptions & { host: BrowserOpener; log: Logger; emit: (event: AuthEvent) => void }): AuthService {
  const given = options.settings;
  const settings = typeof given === 'function' ? given : () => given;
  const session = new AuthSession({
    vault: options.vault ?? new FileVault(defaultVaultFile()),
    log: options.log,
    keepFresh: true,
    expected: settings,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  return {
    session,
    handlers: authHandlers(session, options.host, { settings, emit: options.emit }),
    dispose: () => session.dispose(),
  };
}
