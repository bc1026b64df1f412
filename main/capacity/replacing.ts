/**
 * Fitting an environment that already runs: its new pods replace its
 * current ones, so the current ones' requests are handed back to their nodes
 * before the new ones are placed. Without this, resizing a running
 * environment counts it twice and predicts Pending where the update fits.
 * Pods others start in the namespace (a JupyterHub user's server) stay.
 */
import { snapshotOf, type ClusterSnapshot, type ManagedRequests } from './snapshot';
import { PODS } from './resources';

export interface Replacing {
  snapshot: ClusterSnapshot;
  /** How many running pods were handed back. */
  pods: number;
}

/**
 * The same snapshot and namespace give the same answer, and the same object: the
 * fits of one keystroke, and of the next while the cluster is unchanged, share
 * what fit.ts works out once per snapshot.
 */
const kept = new WeakMap<ClusterSnapshot, Map<string, Replacing>>();

export function replacingEnvironment(snapshot: ClusterSnapshot, namespace: string): Replacing {
  const own = snapshot.managed?.get(namespace);
  if (own === undefined) return { snapshot, pods: 0 };
  const byNamespace = kept.get(snapshot) ?? new Map<string, Replacing>();
  kept.set(snapshot, byNamespace);
  const known = byNamespace.get(namespace);
  if (known !== undefined) return known;
  const replacing = handedBack(snapshot, own);
  byNamespace.set(namespace, replacing);
  return replacing;
}

function handedBack(snapshot: ClusterSnapshot, own: ReadonlyMap<string, ManagedRequests>): Replacing {
  let pods = 0;
  const nodes = snapshot.nodes.map((node) => {
    const mine = own.get(node.name);
    if (mine === undefined) return node;
    pods += mine.requested[PODS] ?? 0;
    const requested = { ...node.requested };
    for (const name in mine.requested) requested[name] = (requested[name] ?? 0) - (mine.requested[name] ?? 0);
    return {
      ...node,
      requested,
      nonZeroRequested: {
        cpu: node.nonZeroRequested.cpu - mine.nonZeroRequested.cpu,
        memory: node.nonZeroRequested.memory - mine.nonZeroRequested.memory,
      },
    };
  });
  return {
    snapshot: {
      ...snapshotOf(snapshot.source, nodes, snapshot.unscheduledPods),
      ...(snapshot.managed === undefined ? {} : { managed: snapshot.managed }),
    },
    pods,
  };
}
