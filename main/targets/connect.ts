/**
 * How an operation reaches its target: a kubeconfig context gives a
 * KubeTarget (with the signed-in session for contexts bound to it); IM and
 * the dispatcher, named by the site profile, send the signed-in user's token.
 */
import { AfpError } from '../errors';
import type { AuthState } from '../auth/session-types';
import { KubeTarget, type KubeTargetOptions } from './kube/kube-target';
import type { SessionTokenSource } from '../kube/session-auth';
import { dispatcherTarget } from './dispatcher';
import { imTarget, type LogsTarget, type TokenSource } from './im';
import type { Target } from './kinds/target';
import type { SiteProfile } from '../site/profile-schema';
import type { TargetRef } from '../inventory/record';
import { contextRefused, resolveTargetChoice, type TargetChoice } from './target-choice';
import { traitsOf } from './kinds/traits';

export interface TargetConnection {
  target: Target & Partial<LogsTarget>;
  /** Where the inventory says the environment lives, before IM names its infrastructure. */
  ref(namespace: string): TargetRef;
}

/** Opens the target a choice names (deploy) or a record's target (update, delete, resume, logs). */
export type ConnectTarget = (where: TargetChoice | TargetRef) => TargetConnection;

/** The signed-in session as IM and the dispatcher need it: its token and whether there is one. */
export type SignedInTokens = TokenSource & { status(): { state: AuthState } };

export interface ConnectorOptions {
  /** The site profile in force now (undefined: none). */
  profile?: (() => SiteProfile | undefined) | undefined;
  /** The signed-in session: kube contexts bound to it, and every IM or dispatcher call. */
  session?: (SessionTokenSource & Partial<SignedInTokens>) | undefined;
  kube?: Omit<KubeTargetOptions, 'kc'> | undefined;
  /** Extra CA to trust for IM and the dispatcher (a site's own CA). */
  caPem?: string | undefined;
  /** Between IM state reads while waiting (default IM's own 10 s). */
  imPollMs?: number | undefined;
}

export function targetConnector(options: ConnectorOptions = {}): ConnectTarget {
  return (where) => {
    const profile = options.profile?.();
    const resolved = resolveTargetChoice(where, profile);
    if (resolved.kind === 'kube') {
      const target = KubeTarget.fromKubeconfig(
        {
          ...(resolved.kubeconfig === undefined ? {} : { kubeconfig: resolved.kubeconfig }),
          ...(resolved.context === undefined ? {} : { context: resolved.context }),
          ...(options.session === undefined ? {} : { session: options.session }),
        },
        options.kube ?? {},
      );
      if (resolved.allowed !== undefined && !resolved.allowed(target.context)) {
        target.close();
        throw contextRefused(target.context, profile);
      }
      const kubeconfig = resolved.kubeconfig;
      return {
        target,
        ref: (namespace) => ({
          kind: 'kube',
          kubeconfig,
          context: target.context,
          server: target.server,
          namespace,
        }),
      };
    }
    const tokens = signedIn(options.session, resolved.kind);
    const extra = {
      ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
      ...(options.imPollMs === undefined ? {} : { pollMs: options.imPollMs }),
    };
    if (resolved.kind === 'im') {
      const target = imTarget({ im: resolved.im, tokens, ...extra });
      return { target, ref: () => ({ kind: 'im', imUrl: resolved.im.url }) };
    }
    const target = dispatcherTarget({
      dispatcher: resolved.dispatcher,
      tokens,
      ...(resolved.im === undefined ? {} : { im: resolved.im }),
      ...extra,
    });
    return {
      target,
      ref: () => ({
        kind: 'dispatcher',
        dispatcherUrl: resolved.dispatcher.url,
        imUrl: target.imUrl,
      }),
    };
  };
}

/** Kubeconfig contexts only, as before there were site profiles (tests, and callers with no profile). */
export function kubeConnector(session?: SessionTokenSource, options: Omit<KubeTargetOptions, 'kc'> = {}): ConnectTarget {
  return targetConnector({ session, kube: options });
}

/** The session's tokens, or a plain refusal: IM and the dispatcher act as the signed-in user. */
function signedIn(session: ConnectorOptions['session'], kind: 'im' | 'dispatcher'): TokenSource {
  const how = 'sign in first (the account menu in the app, or afp login)';
  if (session?.status === undefined || session.withFreshToken === undefined) {
    throw new AfpError('unauthorized', `Deploying through ${traitsOf(kind).title} acts with your sign-in: ${how}.`, { field: 'target' });
  }
  const state = session.status().state;
  if (state === 'needs-login')
    throw new AfpError('unauthorized', `Your sign-in has expired; ${how} to reach ${traitsOf(kind).title}.`, { field: 'target' });
  if (state !== 'signed-in')
    throw new AfpError('unauthorized', `Not signed in: ${traitsOf(kind).title} acts with your sign-in, so ${how}.`, { field: 'target' });
  return session as SignedInTokens;
}
