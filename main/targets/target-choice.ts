/**
 * Where an environment goes, as a user chooses it (a kube context, IM, the
 * dispatcher) or as its record says it went, resolved against the site
 * profile in force: the settings each target needs, or a plain refusal
 * naming what the profile lacks.
 */
import { AfpError } from '../errors';
import { contextAllowed } from '../site/kube-contexts';
import type { DispatcherTargetSection, ImTargetSection, SiteProfile } from '../site/profile-schema';
import type { TargetRef } from '../inventory/record';
import { loadKubeconfig } from '../kube/kubeconfig';
import { SESSION_AUTH_PROVIDER } from '../kube/session-auth';
import { traitsOf } from './kinds/traits';

import { TARGETS, type TargetKind } from '../contract/plan';

export const TARGET_KINDS = TARGETS;
export type { TargetKind };

/** What the user picks on the Deploy page or with `afp deploy --target`. */
export type TargetChoice =
  { kind: 'kube'; kubeconfig?: string | undefined; context?: string | undefined } | { kind: 'im' } | { kind: 'dispatcher' };

export type ResolvedTarget =
  | {
      kind: 'kube';
      kubeconfig?: string;
      context?: string;
      /** Contexts the site allows; undefined: any. */ allowed?: (context: string) => boolean;
    }
  | { kind: 'im'; im: ImTargetSection }
  | { kind: 'dispatcher'; dispatcher: DispatcherTargetSection; im?: ImTargetSection };

/** A choice (deploy) or a record's target (update, delete, logs) → the settings to open it with. Throws AfpError with field `target`. */
export function resolveTargetChoice(where: TargetChoice | TargetRef, profile: SiteProfile | undefined): ResolvedTarget {
  const targets = profile?.targets;
  if (where.kind === 'kube') {
    const recorded = 'namespace' in where;
    const kubeconfig = where.kubeconfig ?? (recorded ? undefined : targets?.kube?.kubeconfig);
    const context = where.context;
    // A recorded environment stays reachable even if the site later narrowed its contexts.
    const allowed = recorded || targets?.kube === undefined ? undefined : (name: string) => contextAllowed(profile, name);
    return {
      kind: 'kube',
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { context }),
      ...(allowed === undefined ? {} : { allowed }),
    };
  }
  if (where.kind === 'im') {
    const im = targets?.im;
    if (!('imUrl' in where)) {
      if (im === undefined) throw notOffered('im', profile);
      return { kind: 'im', im };
    }
    // The profile's header settings apply to its own IM; an environment made with another IM gets IM's plain token line.
    return {
      kind: 'im',
      im: im !== undefined && sameOrigin(im.url, where.imUrl) ? { ...im, url: where.imUrl } : { url: where.imUrl, authMode: 'token' },
    };
  }
  const dispatcher = targets?.dispatcher;
  if (dispatcher !== undefined) return { kind: 'dispatcher', dispatcher, ...(targets?.im === undefined ? {} : { im: targets.im }) };
  if ('dispatcherUrl' in where && where.imUrl !== undefined) {
    // The site no longer names its dispatcher: the infrastructure is still IM's, reached with IM's plain token line.
    return { kind: 'im', im: { url: where.imUrl, authMode: 'token' } };
  }
  throw notOffered('dispatcher', profile);
}

/** The refusal for a context the site does not allow. */
export function contextRefused(context: string, profile: SiteProfile | undefined): AfpError {
  const list = profile?.targets?.kube?.contexts.join(', ') ?? '';
  return new AfpError(
    'forbidden',
    `The site profile "${profile?.site.name ?? ''}" does not allow deploying to context "${context}" (allowed: ${list}). Choose one of those (afp: --context NAME).`,
    { field: 'context' },
  );
}

function notOffered(kind: 'im' | 'dispatcher', profile: SiteProfile | undefined): AfpError {
  const section = kind === 'im' ? 'targets.im' : 'targets.dispatcher';
  if (profile === undefined) {
    return new AfpError(
      'unsupported',
      `Deploying through ${traitsOf(kind).title} needs a site profile that names it (${section}); none is in force. Choose one in Settings, or give --profile FILE.`,
      { field: 'target' },
    );
  }
  return new AfpError(
    'unsupported',
    `The site profile "${profile.site.name}" offers no ${kind === 'im' ? 'IM' : 'dispatcher'} target (${section} is not set).`,
    { field: 'target' },
  );
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Whether reaching `where` acts as the signed-in user: IM and the dispatcher always, a kube context when its user is our own session (afp kube-token). */
export function actsAsSignedIn(where: TargetChoice | TargetRef, profile: SiteProfile | undefined): boolean {
  if (traitsOf(where.kind).signIn === 'always' || where.kind !== 'kube') return true;
  const kubeconfig = where.kubeconfig ?? ('namespace' in where ? undefined : profile?.targets?.kube?.kubeconfig);
  const loaded = loadKubeconfig({ file: kubeconfig });
  const context = where.context ?? loaded.currentContext;
  return loaded.contexts.find((c) => c.name === context)?.auth === SESSION_AUTH_PROVIDER;
}
