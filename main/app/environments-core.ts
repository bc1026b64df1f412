/**
 * The application core's environments, wired once: the inventory, targets
 * connected as the site profile names them (with the signed-in session where
 * one is needed), the site's rules applied to every deploy, update and
 * resume, and the sources of live status. The app's EnvironmentsService (the
 * Electron shell and the preview) and every `afp` command build on these
 * functions; none of them opens an inventory, picks a connector or builds
 * tracking by itself.
 */
import type { SignedInTokens } from '../targets/connect';
import { EnvironmentOperations, targetConnector, type TargetChoice } from '../environments/operations';
import type { Catalogue } from '../catalogue/catalogue';
import { userDataDir } from '../paths';
import type { ActiveProfile } from '../site/active-profile';
import type { KeyValueStore } from '../store/key-value-store';
import { loadKubeconfig } from '../kube/kubeconfig';
import type { SessionTokenSource } from '../kube/session-auth';
import { imStatusSourceFactory } from '../targets/dispatcher';
import { actsAsSignedIn } from '../targets/target-choice';
import { createTracking, type Tracking } from '../tracking';
import type { KubeConfigFor } from '../tracking/cluster-registry';
import { Inventory, type InventoryOptions } from '../inventory/inventory';
import type { TargetRef } from '../inventory/record';
import type { StatusSourceFactory } from '../tracking/status-source';
import { siteRules, type SignedInUser } from './site-rules';

/** The signed-in session as the core uses it: tokens for targets, and who it is for the site's groups. */
export type CoreSession = SignedInTokens & SessionTokenSource & SignedInUser;

export interface CoreOptions {
  inventory: Inventory;
  catalogue: () => Promise<Catalogue>;
  /** The site profile in force at each call (null: none). */
  profile: () => ActiveProfile | null;
  session?: CoreSession | undefined;
  /** A site's own CA for IM and the dispatcher, besides the system's. */
  caPem?: string | undefined;
  /** Between IM state reads (tests); never below IM's own 10 s in the status source. */
  imPollMs?: number | undefined;
}

/** The user's inventory: the app's store, or the user-data folder the CLI shares with it. */
export function openInventory(where: KeyValueStore | string = userDataDir(), options: InventoryOptions = {}): Inventory {
  return Inventory.open(where, options);
}

/** Deploy, update, resume, delete and logs, with the site's link policy and required groups applied to each. */
export function environmentOperations(options: CoreOptions): EnvironmentOperations {
  const connect = targetConnector({
    profile: () => options.profile()?.profile,
    session: options.session,
    caPem: options.caPem,
    imPollMs: options.imPollMs,
  });
  return new EnvironmentOperations({
    store: options.inventory,
    catalogue: options.catalogue,
    connect,
    site: siteRules(options.profile, options.session),
  });
}

export interface StatusReaders {
  /** Client configuration per kube target: contexts bound to the session are read with its token, as they were deployed. */
  kubeConfigFor: KubeConfigFor;
  /** Sources besides the clusters' own (IM and the dispatcher, read as the signed-in user). */
  sources: StatusSourceFactory[];
}

/**
 * How live status is read, for the app's tracking and for `afp status` alike.
 * `signedOut: 'skip'` (afp status): IM is not asked while nobody is signed in,
 * rather than shown as Unknown (the app says why on the page).
 */
export function statusReaders(
  options: Pick<CoreOptions, 'profile' | 'session' | 'caPem'> & { signedOut?: 'unknown' | 'skip' },
): StatusReaders {
  const { session } = options;
  const kubeConfigFor: KubeConfigFor = (target) => loadKubeconfig({ file: target.kubeconfig }).forContext(target.context, session);
  // IM's source asks the session for a token at each poll: the app's session may sign in and out while it runs.
  if (session === undefined) return { kubeConfigFor, sources: [] };
  const im = imStatusSourceFactory({
    tokens: session,
    profile: () => options.profile()?.profile.targets ?? null,
    ...(options.caPem === undefined ? {} : { caPem: options.caPem }),
  });
  const skip = options.signedOut === 'skip';
  return { kubeConfigFor, sources: [(record) => (skip && session.status().state !== 'signed-in' ? undefined : im(record))] };
}

/** Live status of every environment in the inventory (the app's Environments and Environment pages). */
export function environmentTracking(options: Pick<CoreOptions, 'inventory' | 'profile' | 'session' | 'caPem'>): Tracking {
  return createTracking({ inventory: options.inventory, ...statusReaders(options) });
}

/**
 * Whether acting on `where` needs the signed-in session: IM and the
 * dispatcher always, a kube context when its user is our own (`afp
 * kube-token`), and any deploy, update or resume when the site requires groups.
 */
export function needsSession(where: TargetChoice | TargetRef, profile: ActiveProfile | null, purpose: 'operate' | 'observe'): boolean {
  if (purpose === 'operate' && (profile?.profile.auth?.requiredGroups.length ?? 0) > 0) return true;
  return actsAsSignedIn(where, profile?.profile);
}
