/**
 * Tracking, assembled: the one call the composition root (main/app.ts) and
 * the CLI make to get live status for the inventory's environments.
 */
import { ClusterRegistry, type KubeConfigFor } from './cluster-registry';
import type { ClusterWatchOptions } from './cluster-watch';
import type { Inventory } from '../inventory/inventory';
import { kubeSourceFactory } from './kube-source';
import { PortForwards } from './port-forward';
import type { StatusSourceFactory } from './status-source';
import { EnvironmentTracker } from './tracker';

export interface TrackingOptions {
  inventory: Inventory;
  /** Client configuration per kube target; default: the record's kubeconfig file and context. */
  kubeConfigFor?: KubeConfigFor;
  /** Extra sources (IM, dispatcher), tried after kube. */
  sources?: StatusSourceFactory[];
  batchMs?: number;
  watch?: ClusterWatchOptions;
  /** Idle port-forwards close after this long (default 10 minutes). */
  portForwardIdleMs?: number;
  syncEveryMs?: number;
}

export interface Tracking {
  tracker: EnvironmentTracker;
  clusters: ClusterRegistry;
  forwards: PortForwards;
  /** Stops every watch, poll and port-forward. */
  dispose(): void;
}

export function createTracking(options: TrackingOptions): Tracking {
  const clusters = new ClusterRegistry({
    ...(options.kubeConfigFor === undefined ? {} : { kubeConfigFor: options.kubeConfigFor }),
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });
  // Forward keys are "<environment id>/<link id>": a closed forward changes that environment's link.
  const forwards = new PortForwards({
    ...(options.portForwardIdleMs === undefined ? {} : { idleMs: options.portForwardIdleMs }),
    onClose: (key) => tracker.invalidate(key.slice(0, key.indexOf('/'))),
  });
  const tracker: EnvironmentTracker = new EnvironmentTracker({
    inventory: options.inventory,
    sources: [kubeSourceFactory(clusters, forwards), ...(options.sources ?? [])],
    batchMs: options.batchMs,
    syncEveryMs: options.syncEveryMs,
  });
  return {
    tracker,
    clusters,
    forwards,
    dispose() {
      tracker.dispose();
      forwards.closeAll();
      clusters.dispose();
    },
  };
}
