/**
 * Where capacity is read from, chosen once for the Configure page's fit and
 * `afp fit`: a live cluster through a kubeconfig context (the context must
 * exist), or the nodes the site profile declares. And how a plan is fitted:
 * an environment that already runs in the plan's namespace hands its own pods
 * back first (main/capacity/replacing.ts), in the app and the CLI alike.
 */
import { predictFit, type FitReport, type PodToPlace } from '../capacity/fit';
import type { PlanPod } from '../capacity/plan-pods';
import { podsFromPlan } from '../capacity/plan-pods';
import { replacingEnvironment } from '../capacity/replacing';
import type { ClusterSnapshot } from '../capacity/snapshot';
import { snapshotFromCluster } from '../capacity/snapshot-cluster';
import { snapshotFromProfile } from '../capacity/snapshot-profile';
import type { CapacitySource } from '../contract/capacity';
import { AfpError } from '../errors';
import { say, type Message } from '../messages/message';
import type { ActiveProfile } from '../site/active-profile';
import { loadKubeconfig } from '../kube/kubeconfig';
import type { LiveCapacityRegistry } from '../capacity/live-capacity';

export interface CapacityReading {
  read(): Promise<ClusterSnapshot>;
  /** In the app's words: `cluster "ctx" as it is now`, `the capacity declared by <site>`. */
  label: Message;
  /** In the CLI's: the API server and context, or the profile's file. */
  origin: string;
  /** Identifies the reading (same cluster and context, or the profile), for a short cache. */
  key: string;
  /** Read from a watch-fed cache: always current, no short cache needed. */
  live?: boolean;
}

/**
 * Opens the source: a context that does not exist, or a profile without capacity, is refused here with what to do.
 * With `live`, a cluster is read from its watch-fed cache (the app, asked on every keystroke); without, by one
 * paged list (`afp fit`, asked once).
 */
export function readCapacity(source: CapacitySource, profile: ActiveProfile | null, live?: LiveCapacityRegistry): CapacityReading {
  if (source.kind === 'profile') {
    const capacity = profile?.profile.capacity;
    if (profile === null || capacity === undefined)
      throw new AfpError('invalid_profile', say('fit.noProfileCapacity'), profile === null ? {} : { file: profile.file });
    return {
      read: () => Promise.resolve(snapshotFromProfile(capacity)),
      label: say('fit.sourceProfile', { site: profile.profile.site.name }),
      origin: `site profile ${profile.file}`,
      key: `profile:${profile.file}`,
    };
  }
  // The app's own loader: merged files, relative paths, exec plugins and their messages, as everywhere else.
  const loaded = loadKubeconfig({ file: source.kubeconfig });
  const context = source.context ?? loaded.currentContext;
  if (!loaded.contexts.some((entry) => entry.name === context)) {
    const known = loaded.contexts.map((entry) => entry.name).join(', ');
    throw new AfpError('invalid_kubeconfig', say('fit.noContext', { context, known }), {
      file: source.kubeconfig,
      field: 'context',
    });
  }
  const kubeConfig = loaded.forContext(context);
  const key = `${loaded.files.join(':')}#${context}`;
  return {
    read: live === undefined ? () => snapshotFromCluster(kubeConfig) : () => live.for(key, () => kubeConfig).snapshot(),
    label: say('fit.sourceCluster', { context }),
    origin: `cluster ${kubeConfig.getCurrentCluster()?.server ?? context} (context ${context})`,
    key,
    live: live !== undefined,
  };
}

export interface PlanFit {
  report: FitReport;
  replacedPods: number;
  /** The snapshot the pods were placed on: the environment's own pods handed back. */
  snapshot: ClusterSnapshot;
}

/** The fit of a plan's pods; with the plan's namespace, the environment running there hands its own pods back first. */
export function fitPods(snapshot: ClusterSnapshot, pods: readonly PlanPod[], namespace?: string): PlanFit {
  return fitExpandedPods(snapshot, podsFromPlan(pods), namespace);
}

/** fitPods for pods already expanded one per replica (the app's remembered renders, plan-memo.ts). */
export function fitExpandedPods(snapshot: ClusterSnapshot, pods: readonly PodToPlace[], namespace?: string): PlanFit {
  const replacing = namespace === undefined ? { snapshot, pods: 0 } : replacingEnvironment(snapshot, namespace);
  return { report: predictFit(replacing.snapshot, pods), replacedPods: replacing.pods, snapshot: replacing.snapshot };
}
