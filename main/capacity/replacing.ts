/**
 * Fitting an environment that already runs: its new pods replace its
 * current ones, so the current ones' requests are handed back to their nodes
 * before the new ones are placed. Without this, resizing a running
 * environment counts it twice and predicts Pending where the update fits.
 * Pods others start in the namespace (a JupyterHub user's server) stay.
 */
import { snapshotOf, type ClusterSnapshot } from './snapshot';
import { PODS } from './resources';

export interface Replacing {
  snapshot: ClusterSnapshot;
  /** How many running pods were handed back. */
  pods: number;
}

export function replacingEnvironment(snapshot: ClusterSnapshot, namespace: string): Replacing {
  const own = snapshot.managed?.get(namespace);
  if (own === undefined) return { snapshot, pods: 0 };
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
