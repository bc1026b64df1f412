/**
 * The contract's auth.* requests over one AuthSession. A sign-in answers with
 * an operation id at once; its progress, the device code and the outcome
 * arrive as `auth.changed` / `auth.device` events. Nothing here ever puts a
 * token into an answer or an event.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { RequestContext } from '../bridge/handlers';
import type { authContract, AuthEvent, AuthStatusView, SignInMethod } from '../contract/auth';
import { AfpError } from '../errors';
import { isAllowedExternalUrl } from '../shell/external-links';
import { missingGroups } from './groups';
import type { AuthSession, SignInHow } from './session';
import type { AuthSettings } from './settings';

type AuthContract = typeof authContract;

/** All sign-in needs of the shell (app/host.ts's Host has it): open a URL in the system browser, false when none can be opened. */
export interface BrowserOpener {
  openExternal(url: string): Promise<boolean>;
}

export type AuthHandlers = {
  [K in keyof AuthContract]: (
    input: z.output<AuthContract[K]['input']>,
    context: RequestContext,
  ) => Promise<z.output<AuthContract[K]['output']>>;
};

export interface AuthHandlerOptions {
  /** The site's identity provider now (the profile may change while the app runs); undefined when none is set. */
  settings: () => AuthSettings | undefined;
  emit: (event: AuthEvent) => void;
}

interface Operation {
  id: string;
  method: SignInMethod;
  url?: string;
  controller: AbortController;
}

export const NO_PROVIDER_MESSAGE = 'No identity provider is set: the site profile needs an auth section with issuer and clientId.';

export function authHandlers(session: AuthSession, host: BrowserOpener, options: AuthHandlerOptions): AuthHandlers {
  let operation: Operation | undefined;

  const view = (): AuthStatusView => {
    const status = session.status();
    const settings = options.settings() ?? status.settings;
    const required = [...(options.settings()?.requiredGroups ?? [])];
    const signedIn = status.state === 'signed-in' && status.user !== undefined;
    const allowed = signedIn && (required.length === 0 || missingGroups(status.user?.groups ?? [], required).length < required.length);
    const out: AuthStatusView = { state: status.state, persistent: status.persistent, requiredGroups: required, allowed };
    if (settings !== undefined) out.provider = { issuer: settings.issuer, clientId: settings.clientId };
    if (status.user !== undefined) out.user = status.user;
    if (status.expiresAt !== undefined) out.expiresAt = new Date(status.expiresAt).toISOString();
    if (operation !== undefined) out.operation = { id: operation.id, method: operation.method, url: operation.url };
    if (status.error !== undefined) out.error = status.error;
    if (status.notice !== undefined) out.notice = status.notice;
    return out;
  };
  const changed = (): void => options.emit({ type: 'auth.changed', status: view() });
  session.onChange(changed);

  const cancel = (id?: string): boolean => {
    if (operation === undefined || (id !== undefined && id !== operation.id)) return false;
    operation.controller.abort(new AfpError('cancelled', 'You cancelled the sign-in.'));
    return true;
  };

  const start = (settings: AuthSettings, method: SignInMethod): string => {
    cancel();
    const started: Operation = { id: `sign-in-${randomUUID()}`, method, controller: new AbortController() };
    operation = started;
    const how: SignInHow =
      method === 'browser'
        ? {
            method,
            open: (url) => (isAllowedExternalUrl(url) ? host.openExternal(url) : Promise.resolve(false)),
            onUrl: (url) => {
              started.url = url;
              changed();
            },
          }
        : {
            method,
            onPrompt: (prompt) =>
              options.emit({
                type: 'auth.device',
                operationId: started.id,
                userCode: prompt.userCode,
                verificationUri: prompt.verificationUri,
                verificationUriComplete: prompt.verificationUriComplete,
                expiresAt: new Date(prompt.expiresAt).toISOString(),
              }),
          };
    session
      .signIn(settings, how, started.controller.signal)
      // The outcome (user or error) is in the session's status; the event below carries it.
      .catch(() => undefined)
      .finally(() => {
        if (operation === started) operation = undefined;
        changed();
      });
    return started.id;
  };

  return {
    'auth.status': async () => {
      await session.ready;
      return view();
    },
    'auth.signIn': async ({ method }) => {
      await session.ready;
      const settings = options.settings();
      if (settings === undefined) throw new AfpError('unsupported', NO_PROVIDER_MESSAGE);
      return { operationId: start(settings, method) };
    },
    'auth.cancel': ({ operationId }) => Promise.resolve({ cancelled: cancel(operationId) }),
    'auth.signOut': async () => {
      cancel();
      const result = await session.signOut();
      return { status: view(), ...result };
    },
  };
}
