/**
 * The clusters being watched, one ClusterWatch per context + server, shared
 * by the environments on it and disposed when the last of them goes.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeconfig } from '../kube/kubeconfig';
import { ClusterWatch, type ClusterWatchOptions } from './cluster-watch';

export interface KubeTarget {
  kubeconfig?: string | undefined;
  context: string;
  server: string;
}

export type KubeConfigFor = (target: KubeTarget) => KubeConfig;

export interface ClusterLease {
  cluster: ClusterWatch;
  release(): void;
}

export const defaultKubeConfigFor: KubeConfigFor = (target) => loadKubeconfig({ file: target.kubeconfig }).forContext(target.context);

export function clusterKey(target: KubeTarget): string {
  return `${target.context}@${target.server}`;
}

export class ClusterRegistry {
  private readonly clusters = new Map<string, { cluster: ClusterWatch; users: number }>();

  constructor(private readonly options: { kubeConfigFor?: KubeConfigFor; watch?: ClusterWatchOptions } = {}) {}

  /** Throws AfpError when the kubeconfig or its context cannot be used. */
  acquire(target: KubeTarget): ClusterLease {
    const key = clusterKey(target);
    let entry = this.clusters.get(key);
    if (entry === undefined) {
      const kc = (this.options.kubeConfigFor ?? defaultKubeConfigFor)(target);
      entry = { cluster: new ClusterWatch(key, kc, this.options.watch), users: 0 };
      this.clusters.set(key, entry);
    }
    entry.users += 1;
    const held = entry;
    let released = false;
    return {
      cluster: held.cluster,
      release: () => {
        if (released) return;
        released = true;
        held.users -= 1;
        if (held.users > 0) return;
        held.cluster.dispose();
        if (this.clusters.get(key) === held) this.clusters.delete(key);
      },
    };
  }

  get size(): number {
    return this.clusters.size;
  }

  list(): ClusterWatch[] {
    return [...this.clusters.values()].map((e) => e.cluster);
  }

  dispose(): void {
    for (const { cluster } of this.clusters.values()) cluster.dispose();
    this.clusters.clear();
  }
}
